#
# SfBackup module manifest. The source of truth for what the module exports. ModuleVersion is stamped from
# Directory.Build.props when the build assembles the module folder (artifacts/SfBackup).
#
@{
    RootModule           = 'SfBackup.PowerShell.dll'
    # Loaded before the root module: makes dependencies/ loadable privately (see src/SfBackup.Loader).
    NestedModules        = @('SfBackup.Loader.dll')
    ModuleVersion        = '0.0.0'
    GUID                 = '6f0f3c2e-8d0b-4f43-9a55-2b7f0e5d9c61'
    Author               = 'SfBackup contributors'
    CompanyName          = 'SfBackup'
    Copyright            = '(c) SfBackup contributors'
    Description          = 'Drive the Service Fabric Backup Restore Service (BRS) over its REST API from PowerShell: backup policies, periodic and on-demand backups, restores, backup listings and progress, for interactive sessions, pipelines of partitions and unattended runbooks. Windows PowerShell 5.1 and PowerShell 7.4+.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('SfBackup.Format.ps1xml')
    CmdletsToExport      = @(
        'Compare-SfBackupConfiguration'
        'Connect-SfCluster'
        'Disable-SfApplicationBackup'
        'Disable-SfPartitionBackup'
        'Disable-SfServiceBackup'
        'Disconnect-SfCluster'
        'Enable-SfApplicationBackup'
        'Enable-SfPartitionBackup'
        'Enable-SfServiceBackup'
        'Export-SfBackupConfiguration'
        'Get-SfApplication'
        'Get-SfBackup'
        'Get-SfBackupCatalog'
        'Get-SfBackupConfiguration'
        'Get-SfBackupHealth'
        'Get-SfBackupPolicy'
        'Get-SfBackupPolicyEntity'
        'Get-SfClusterConnection'
        'Get-SfPartition'
        'Get-SfPartitionBackupProgress'
        'Get-SfPartitionRestoreProgress'
        'Get-SfService'
        'New-SfBackupPolicy'
        'New-SfBackupStorage'
        'Remove-SfBackupPolicy'
        'Restore-SfApplication'
        'Restore-SfPartition'
        'Restore-SfService'
        'Resume-SfApplicationBackup'
        'Resume-SfPartitionBackup'
        'Resume-SfServiceBackup'
        'Set-SfBackupPolicy'
        'Skip-SfPartitionAutoRestore'
        'Start-SfPartitionBackup'
        'Suspend-SfApplicationBackup'
        'Suspend-SfPartitionBackup'
        'Suspend-SfServiceBackup'
        'Sync-SfBackupConfiguration'
        'Test-SfBackupChain'
        'Test-SfLastBackup'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            # Gallery metadata. ProjectUri and LicenseUri name the project's public home and licence (MIT).
            Tags         = @('ServiceFabric', 'Service-Fabric', 'Backup', 'Restore', 'BRS', 'Azure', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/SfBackup/SfBackup'
            LicenseUri   = 'https://opensource.org/license/mit'
            ReleaseNotes = @'
Cmdlets for the whole Backup Restore Service REST API: backup policies; enable, disable, suspend and resume at
application, service and partition level; backups now (-Wait), restores (-Wait), backup listings and progress;
discovery of applications, services and partitions. One default connection per runspace, so parallel runbooks
never act on each other's cluster. -WhatIf and -Confirm on every change, -ThrottleLimit on partition changes,
tab completion of policy, application and service names, and views that fit 80 columns. Restore-SfService and
Restore-SfApplication bring a whole service or application back to a point in time, also into a rebuilt cluster
(partitions matched by key range); Get-SfBackupHealth tells which partitions are behind their policy, and can
report them to the cluster's health store; Test-SfLastBackup runs restore drills that prove the latest backups
restore, measure the RTO and report BackupVerified to the health store. Export-, Compare- and Sync-SfBackupConfiguration keep
backup configuration as code (secrets as named references, never written); Get-SfBackupCatalog keeps a catalog of
backups that outlives the cluster, Test-SfBackupChain tells which chains restore. Its dependencies load privately, beside any other module's versions,
and come precompiled for PowerShell 7.4, 7.5 and 7.6 on Windows and Linux x64.
'@
        }
    }
}
