#Requires -Version 7.4
# The README's disaster-recovery walkthrough and backup-health runbook, run as written against emulators started
# here (issue 10). The examples name 127.0.0.1:19080 and :19081; they run with these emulators' addresses instead.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Storage = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-dr-{0}' -f [guid]::NewGuid())
    $fast = @('--Emulator:AcceptedSeconds=0.2', '--Emulator:BackupSeconds=0.5', '--Emulator:RestoreSeconds=0.5')
    $script:Old = Start-SfTestEmulator -Settings ($fast + "--Emulator:StorageDirectory=$script:Storage")
    $script:New = Start-SfTestEmulator -Settings ($fast + "--Emulator:StorageDirectory=$script:Storage", '--Emulator:NewCluster=true')
    Import-SfBackupUnderTest

    # A README example with the documented addresses replaced by these emulators'.
    function Get-SfExampleHere([string] $Marker, [hashtable] $Addresses) {
        $text = (Get-SfReadmeExample $Marker).ToString()
        foreach ($documented in $Addresses.Keys) { $text = $text.Replace($documented, $Addresses[$documented].TrimEnd('/')) }
        [scriptblock]::Create($text)
    }
}

AfterAll {
    Stop-SfTestEmulator $script:Old
    Stop-SfTestEmulator $script:New
    Remove-Item $script:Storage -Recurse -Force -ErrorAction SilentlyContinue
    Disconnect-SfCluster -ErrorAction SilentlyContinue
}

Describe 'Disaster recovery into a rebuilt cluster' {
    It 'runs the README walkthrough: the new cluster restores the old one''s backups of the point in time, matched by key range' {
        $example = Get-SfExampleHere '# disaster-recovery example' @{ 'http://127.0.0.1:19080' = $script:Old.Url; 'http://127.0.0.1:19081' = $script:New.Url }
        . $example | Out-Null

        $oldIds = (Get-SfPartition fabric:/CalcApp/CalcService -Session $old).PartitionId
        $newIds = (Get-SfPartition fabric:/CalcApp/CalcService -Session $new).PartitionId
        $restored.Count | Should -Be 2
        $restored.Result | Should -Be @('Restored', 'Restored')
        $restored.TargetPartitionId | Should -Be $newIds
        $restored.SourcePartitionId | Should -Be $oldIds
        $oldIds | Where-Object { $_ -in $newIds } | Should -BeNullOrEmpty
        # The backups of the first round: at or before the point in time, and the second round's are later.
        $first = $pointInTime.ToUniversalTime()
        foreach ($step in $restored) { $step.BackupTimeUtc | Should -BeLessOrEqual $first }
        $backups = Get-SfBackup -Storage $storage -ServiceName fabric:/CalcApp/CalcService -Session $new
        @($backups | Where-Object { $_.CreationTimeUtc -gt $first }).Count | Should -Be 2

        # -WhatIf sent nothing: the -Wait run's restores, one per partition, are all the new cluster got.
        @(Get-SfTestJournal $script:New | Where-Object { $_.Method -eq 'POST' -and $_.RawTarget -like '*/$/Restore*' }).Count | Should -Be 2
        @(Get-SfTestJournal $script:Old | Where-Object { $_.RawTarget -like '*/$/Restore*' }).Count | Should -Be 0
        foreach ($id in $newIds) { (Get-SfPartitionRestoreProgress $id -Session $new).RestoreState | Should -Be 'Success' }
    }

    It 'refuses a plan whose partitions do not match and sends nothing; -AllowPartial restores the rest' {
        Reset-SfTestEmulator $script:New
        $new = Connect-SfCluster -Endpoint $script:New.Url -NoDefault
        $time = [datetime]::UtcNow
        { Restore-SfService fabric:/Inventory/Stock -SourceServiceName fabric:/CalcApp/CalcService -PointInTime $time -Session $new -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'SfRestorePlanRefused,SfBackup.PowerShell.Cmdlets.RestoreSfServiceCommand'
        @(Get-SfTestJournal $script:New | Where-Object { $_.RawTarget -like '*/$/Restore*' }).Count | Should -Be 0

        # The new cluster's own CalcService: one partition backed up here, the other not.
        $one = (Get-SfPartition fabric:/CalcApp/CalcService -Session $new)[0].PartitionId
        Start-SfPartitionBackup $one -Wait -Session $new | Out-Null
        $steps = Restore-SfService fabric:/CalcApp/CalcService -PointInTime ([datetime]::UtcNow) -AllowPartial -Force -Session $new -WarningVariable skipped -WarningAction SilentlyContinue
        $steps.Result | Should -Be @('Accepted', 'Skipped')
        $skipped.Count | Should -Be 1
    }
}

Describe 'Backup health runbook' {
    It 'runs the README runbook: unhealthy partitions are alerted on and reported to the health store' {
        Reset-SfTestEmulator $script:Old
        Connect-SfCluster -Endpoint $script:Old.Url | Out-Null
        Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy
        $example = Get-SfExampleHere '# backup-health runbook example' @{ 'http://127.0.0.1:19080' = $script:Old.Url }

        . $example 3>$null

        $unhealthy.Count | Should -Be 6
        ($unhealthy | Group-Object Status | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }) | Should -Be @('NeverBackedUp=4', 'Suspended=2')
        ($alert | ConvertFrom-Json).text | Should -Be 'Service Fabric backups need attention: 4 NeverBackedUp, 2 Suspended'
        # The webhook gets status names, not enum numbers.
        (($alert | ConvertFrom-Json).partitions.Status | Sort-Object -Unique) | Should -Be @('NeverBackedUp', 'Suspended')
        $health = Invoke-RestMethod ($script:Old.Url.TrimEnd('/') + '/Partitions/a1b2c3d4-0001-4000-8000-000000000001/$/GetHealth?api-version=6.0')
        $event = $health.HealthEvents | Where-Object { $_.SourceId -eq 'SfBackup' -and $_.Property -eq 'BackupRpo' }
        $event.HealthState | Should -Be 'Warning'
        (Get-SfBackupHealth -Summary | Where-Object Status -eq 'Healthy').Count | Should -Be 0
    }
}
