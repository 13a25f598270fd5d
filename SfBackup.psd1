#
# SfBackup module manifest. The source of truth for what the module exports. ModuleVersion is stamped from
# Directory.Build.props when the build assembles the module folder (artifacts/SfBackup).
#
@{
    RootModule           = 'SfBackup.PowerShell.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '6f0f3c2e-8d0b-4f43-9a55-2b7f0e5d9c61'
    Author               = 'SfBackup contributors'
    CompanyName          = 'SfBackup'
    Copyright            = '(c) SfBackup contributors'
    Description          = 'Drive the Service Fabric Backup Restore Service over its REST API: backup policies, periodic and on-demand backups, restores.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('SfBackup.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-SfCluster'
        'Disable-SfApplicationBackup'
        'Disable-SfPartitionBackup'
        'Disable-SfServiceBackup'
        'Disconnect-SfCluster'
        'Enable-SfApplicationBackup'
        'Enable-SfPartitionBackup'
        'Enable-SfServiceBackup'
        'Get-SfApplication'
        'Get-SfBackup'
        'Get-SfBackupConfiguration'
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
        'Restore-SfPartition'
        'Resume-SfApplicationBackup'
        'Resume-SfPartitionBackup'
        'Resume-SfServiceBackup'
        'Set-SfBackupPolicy'
        'Skip-SfPartitionAutoRestore'
        'Start-SfPartitionBackup'
        'Suspend-SfApplicationBackup'
        'Suspend-SfPartitionBackup'
        'Suspend-SfServiceBackup'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('ServiceFabric', 'Backup', 'Restore', 'BRS')
            ProjectUri = ''
        }
    }
}
