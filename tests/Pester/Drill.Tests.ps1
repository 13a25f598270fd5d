#Requires -Version 7.4
# Restore drills (issue 19): Test-SfLastBackup against two emulators that share one storage folder, the second
# standing for a drill cluster (same services, new partition ids). Journals prove where restores went.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Pair = Start-SfTestEmulatorPair
    $script:ProdEmulator = $script:Pair.Source
    $script:DrillEmulator = $script:Pair.Rebuilt
    $script:Storage = $script:Pair.Storage
    Import-SfBackupUnderTest

    function Reset-Both {
        Reset-SfTestEmulator $script:ProdEmulator
        Reset-SfTestEmulator $script:DrillEmulator
        $script:prod = Connect-SfCluster -Endpoint $script:ProdEmulator.Url -NoDefault
        $script:drill = Connect-SfCluster -Endpoint $script:DrillEmulator.Url -NoDefault
    }
    function Get-Restores($Emulator) { @(Get-SfTestJournal $Emulator | Where-Object { $_.Method -eq 'POST' -and $_.RawTarget -like '*/$/Restore*' }) }
    function Get-Posts($Emulator) { @(Get-SfTestJournal $Emulator | Where-Object Method -eq 'POST') }
    function Clear-BothJournals { Clear-SfTestJournal $script:ProdEmulator; Clear-SfTestJournal $script:DrillEmulator }
    # Backs up every partition of a service once (after enabling it on both clusters when a policy is given).
    function Initialize-Service([string] $Service, [string] $Policy) {
        if ($Policy) {
            Enable-SfServiceBackup $Service -BackupPolicyName $Policy -Session $script:prod | Out-Null
            Enable-SfServiceBackup $Service -BackupPolicyName $Policy -Session $script:drill | Out-Null
        }
        Get-SfPartition $Service -Session $script:prod | Start-SfPartitionBackup -ThrottleLimit 4 -Wait -Session $script:prod | Out-Null
    }
}

AfterAll {
    Stop-SfTestEmulatorPair $script:Pair
}

Describe 'Test-SfLastBackup' {
    BeforeEach { Reset-Both }

    It 'runs the README drill: one Verified row per partition with a measured RTO, restores only on the drill cluster, BackupVerified reported' {
        $example = (Get-SfReadmeExample '# restore drill example').ToString().Replace('http://127.0.0.1:19080', $script:ProdEmulator.Url.TrimEnd('/')).Replace('http://127.0.0.1:19081', $script:DrillEmulator.Url.TrimEnd('/'))
        . ([scriptblock]::Create($example)) 3>$null | Out-Null

        $sourceIds = (Get-SfPartition fabric:/CalcApp/CalcService -Session $production).PartitionId
        $drillIds = (Get-SfPartition fabric:/CalcApp/CalcService -Session $drill).PartitionId
        $results.Count | Should -Be 2
        $results.Result | Should -Be @('Verified', 'Verified')
        # Rows come as drills finish; both clusters list the partitions in key-range order.
        $ordered = @($results | Sort-Object { [array]::IndexOf($sourceIds, $_.SourcePartitionId) })
        $ordered.SourcePartitionId | Should -Be $sourceIds
        $ordered.DrillPartitionId | Should -Be $drillIds
        foreach ($r in $results) {
            $r.Rto | Should -BeGreaterThan ([timespan]::FromSeconds(0.4))
            $r.Rto | Should -BeLessThan ([timespan]::FromSeconds(30))
            $r.RestoreEndedUtc | Should -BeGreaterThan $r.RestoreStartedUtc
            $r.ChainLength | Should -BeGreaterThan 0
        }
        $failed.Count | Should -Be 0
        (Get-Restores $script:DrillEmulator).Count | Should -Be 2
        (Get-Restores $script:ProdEmulator).Count | Should -Be 0
        foreach ($id in $sourceIds) {
            $health = Invoke-RestMethod "$($script:ProdEmulator.Url.TrimEnd('/'))/Partitions/$id/`$/GetHealth?api-version=6.0"
            $event = $health.HealthEvents | Where-Object { $_.SourceId -eq 'SfBackup' -and $_.Property -eq 'BackupVerified' }
            $event.HealthState | Should -Be 'Ok'
            $event.RemoveWhenExpired | Should -BeFalse
            $event.TimeToLiveInMilliSeconds | Should -Be 'P2D'
        }
        $health = Get-SfBackupHealth -ServiceName fabric:/CalcApp/CalcService -IncludeLastVerified -Session $production
        $health.Verification | Should -Be @('Verified', 'Verified')
        $health.LastVerifiedUtc | Should -Not -BeNullOrEmpty
    }

    It 'fails only the partition whose backup is corrupt, with the cluster''s reason' {
        Initialize-Service fabric:/CalcApp/CalcService
        $victim = (Get-SfPartition fabric:/CalcApp/CalcService -Session $prod)[1].PartitionId
        $latest = Get-SfBackup -PartitionId $victim -Latest -Session $prod
        # The drill cluster is the one that reads the file.
        Invoke-RestMethod -Method Post -Uri "$($script:DrillEmulator.Url.TrimEnd('/'))/`$Emulator/Backups/$($latest.BackupId)/Corrupt" | Out-Null

        $results = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -DrillSession $drill -WarningVariable warned -WarningAction SilentlyContinue
        ($results | Where-Object SourcePartitionId -eq $victim).Result | Should -Be 'Failed'
        ($results | Where-Object SourcePartitionId -eq $victim).Reason | Should -Match 'Failure.*corrupt'
        ($results | Where-Object SourcePartitionId -ne $victim).Result | Should -Be 'Verified'
        $warned.Count | Should -Be 1
    }

    It 'finds a chain file removed from storage: Failed without a restore, and -VerifyOnly finds it without restoring' {
        $first = (Get-SfPartition fabric:/CalcApp/CalcService -Session $prod)[0].PartitionId
        Initialize-Service fabric:/CalcApp/CalcService
        $full = Get-SfBackup -PartitionId $first -Session $prod | Where-Object BackupType -eq 'Full' | Sort-Object CreationTimeUtc | Select-Object -Last 1
        Remove-Item (Join-Path $script:Storage "$($full.BackupId).json")
        Clear-BothJournals

        # -VerifyOnly restores nothing, so it needs no drill target.
        $checked = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -VerifyOnly -WarningAction SilentlyContinue
        ($checked | Where-Object SourcePartitionId -eq $first).Result | Should -Be 'Failed'
        ($checked | Where-Object SourcePartitionId -eq $first).ErrorId | Should -Be 'SfDrillChainNoFull'
        ($checked | Where-Object SourcePartitionId -ne $first).Result | Should -Be 'Verified'
        $checked.VerifyOnly | Should -Not -Contain $false
        (Get-Posts $script:DrillEmulator).Count | Should -Be 0
        (Get-Posts $script:ProdEmulator).Count | Should -Be 0

        $drilled = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -DrillSession $drill -WarningAction SilentlyContinue
        ($drilled | Where-Object SourcePartitionId -eq $first).Result | Should -Be 'Failed'
        ($drilled | Where-Object SourcePartitionId -eq $first).Reason | Should -Match 'no full backup'
        (Get-Restores $script:DrillEmulator).Count | Should -Be 1
    }

    It '-Sample 1/3 over three runs drills every partition exactly once' {
        Initialize-Service fabric:/Inventory/Stock HourlyFileShareBackupPolicy
        $all = (Get-SfPartition fabric:/Inventory/Stock -Session $prod).PartitionId
        Clear-BothJournals
        $runs = foreach ($slice in 1..3) {
            Test-SfLastBackup -ServiceName fabric:/Inventory/Stock -Session $prod -DrillSession $drill -Sample 1/3 -Slice $slice
        }
        @($runs.SourcePartitionId | Sort-Object) | Should -Be @($all | Sort-Object)
        $runs.Result | Should -Not -Contain 'Failed'
        (Get-Restores $script:DrillEmulator).Count | Should -Be $all.Count
        @($runs.Slice | Sort-Object -Unique).Count | Should -BeLessOrEqual 3
    }

    It '-MaxDuration stops starting restores; the rest are Skipped' {
        Initialize-Service fabric:/Inventory/Stock HourlyFileShareBackupPolicy
        Clear-BothJournals
        $results = Test-SfLastBackup -ServiceName fabric:/Inventory/Stock -Session $prod -DrillSession $drill -ThrottleLimit 1 -MaxDuration 00:00:01 -WarningAction SilentlyContinue
        $results.Count | Should -Be 4
        @($results | Where-Object Result -eq 'Verified').Count | Should -Be 1
        @($results | Where-Object Result -eq 'Skipped').Count | Should -Be 3
        ($results | Where-Object Result -eq 'Skipped')[0].Reason | Should -Match 'MaxDuration'
        (Get-Restores $script:DrillEmulator).Count | Should -Be 1
    }

    It '-WhatIf shows the plan and sends nothing but reads' {
        Initialize-Service fabric:/CalcApp/CalcService
        Clear-BothJournals
        $plan = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -DrillSession $drill -ReportHealth -WhatIf
        $plan.Result | Should -Be @('Planned', 'Planned')
        (Get-Posts $script:DrillEmulator).Count | Should -Be 0
        (Get-Posts $script:ProdEmulator).Count | Should -Be 0
    }

    It 'refuses a drill onto the source itself before sending anything' {
        Clear-BothJournals
        { Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillServiceName fabric:/CalcApp/CalcService -Session $prod -ErrorAction Stop } |
            Should -Throw -ErrorId 'SfDrillOntoSource,SfBackup.PowerShell.Cmdlets.TestSfLastBackupCommand'
        { Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillSession $prod -Session $prod -ErrorAction Stop } |
            Should -Throw -ErrorId 'SfDrillOntoSource,SfBackup.PowerShell.Cmdlets.TestSfLastBackupCommand'
        { Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -ErrorAction Stop } |
            Should -Throw -ErrorId 'SfDrillTargetRequired,SfBackup.PowerShell.Cmdlets.TestSfLastBackupCommand'
        (Get-Posts $script:ProdEmulator).Count | Should -Be 0
    }

    It 'fails a drill whose probe does not return $true, and passes one that does' {
        Initialize-Service fabric:/CalcApp/CalcService
        $passed = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -DrillSession $drill -Probe {
            param($d) (Get-SfPartitionRestoreProgress $d.DrillPartitionId -Session $d.DrillSession).RestoreState -eq 'Success' }
        $passed.Probe | Should -Be @('Passed', 'Passed')
        $passed.Result | Should -Be @('Verified', 'Verified')
        $failed = Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -Session $prod -DrillSession $drill -Probe { param($d) } -WarningAction SilentlyContinue
        $failed.Result | Should -Be @('Failed', 'Failed')
        $failed[0].Reason | Should -Match 'returned nothing'
    }
}
