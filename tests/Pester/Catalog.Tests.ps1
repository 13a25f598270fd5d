#Requires -Version 7.4
# A backup catalog that outlives the cluster (issue 20): built from a storage two emulators share, kept in a file,
# answered from the file with no call, chains judged, and a restore planned from it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Pair = Start-SfTestEmulatorPair
    $script:OldEmulator = $script:Pair.Source
    $script:NewEmulator = $script:Pair.Rebuilt
    $script:Storage = $script:Pair.Storage
    Import-SfBackupUnderTest
    $script:BlobStorage = New-SfBackupStorage -ConnectionString (ConvertTo-SecureString 'DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=emulator-account-key' -AsPlainText -Force) -ContainerName BackupContainer

    function Reset-Both {
        Reset-SfTestEmulator $script:OldEmulator
        Reset-SfTestEmulator $script:NewEmulator
        $script:oldCluster = Connect-SfCluster -Endpoint $script:OldEmulator.Url -NoDefault -RetryCount 3
        $script:newCluster = Connect-SfCluster -Endpoint $script:NewEmulator.Url -NoDefault
    }
    function Set-Faults($Emulator, [string] $Json) {
        Invoke-RestMethod -Method Post -Uri "$($Emulator.Url.TrimEnd('/'))/`$Emulator/Faults" -Body $Json -ContentType 'application/json' | Out-Null
    }
    function Get-Calls($Emulator) { @(Get-SfTestJournal $Emulator | Where-Object { $_.RawTarget -notlike '/$Emulator/*' }) }
}

AfterAll {
    Stop-SfTestEmulatorPair $script:Pair
}

Describe 'Get-SfBackupCatalog and Test-SfBackupChain' {
    BeforeEach { Reset-Both }

    It 'runs the README example: the catalog from the file, every chain whole but orphaned in the new cluster, and the restore planned from it' {
        $example = (Get-SfReadmeExample '# backup-catalog example').ToString().Replace('http://127.0.0.1:19080', $script:OldEmulator.Url.TrimEnd('/')).Replace('http://127.0.0.1:19081', $script:NewEmulator.Url.TrimEnd('/'))
        . ([scriptblock]::Create($example)) | Out-Null

        $chains.Count | Should -BeGreaterOrEqual 2
        $chains.State | Sort-Object -Unique | Should -Be 'Orphaned'
        $chains.PartitionExists | Sort-Object -Unique | Should -Be $false
        $restored.Count | Should -Be 2
        $restored.Result | Should -Not -Contain 'Failed'
        $restored.Result | Should -Not -Contain 'Skipped'
        @(Get-SfTestJournal $script:NewEmulator | Where-Object { $_.Method -eq 'POST' -and $_.RawTarget -like '/Partitions/*/$/Restore*' }).Count | Should -Be 2
        # The plan came from the file: the new cluster was not asked for backups.
        @(Get-SfTestJournal $script:NewEmulator | Where-Object RawTarget -like '*GetBackups*').Count | Should -Be 0
    }

    It 'builds under paging, latency and transient faults, then answers from -CachePath with no call and the same rows' {
        $file = Join-Path $TestDrive 'catalog.json'
        Get-SfPartition fabric:/Inventory/Stock -Session $script:oldCluster | Start-SfPartitionBackup -Storage $script:BlobStorage -ThrottleLimit 4 -Wait -Session $script:oldCluster | Out-Null
        Set-Faults $script:OldEmulator '{"Transient":0.1,"LatencyMs":20,"LatencyJitterMs":10,"Seed":5,"Next":["Transient","None","Transient"]}'
        try {
            # No entity: every application of the cluster.
            $built = @(Get-SfBackupCatalog -Storage $script:BlobStorage -CachePath $file -Session $script:oldCluster)
        }
        finally {
            Set-Faults $script:OldEmulator '{}'
        }
        @(Get-SfTestJournal $script:OldEmulator | Where-Object Fault).Count | Should -BeGreaterThan 0 -Because 'faults were served while building'
        @(Get-SfTestJournal $script:OldEmulator | Where-Object RawTarget -like '*ContinuationToken=*').Count | Should -BeGreaterThan 0 -Because 'the listing paged'
        $built.Count | Should -BeGreaterThan 4
        Clear-SfTestJournal $script:OldEmulator
        Clear-SfTestJournal $script:NewEmulator

        $again = @(Get-SfBackupCatalog -CachePath $file)
        Get-Calls $script:OldEmulator | Should -HaveCount 0
        Get-Calls $script:NewEmulator | Should -HaveCount 0
        ($again | ConvertTo-Json -Depth 5) | Should -BeExactly ($built | ConvertTo-Json -Depth 5)
        $stock = @(Get-SfBackupCatalog -CachePath $file -ServiceName fabric:/Inventory/Stock)
        $stock.Count | Should -Be 4
        @(Get-SfBackupCatalog -CachePath $file -PartitionId a1b2c3d4-0001-4000-8000-000000000001).Count | Should -Be 1
        @(Get-SfBackupCatalog -CachePath $file -EndTime '2000-01-01').Count | Should -Be 0
        Get-Calls $script:OldEmulator | Should -HaveCount 0
    }

    It 'a removed chain file shows as NoFull, a service the cluster has no more as Orphaned, and a whole chain in the cluster as Complete' {
        $file = Join-Path $TestDrive 'chains.json'
        $victim = '5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de'
        # Its first backup is full, the second builds on it; then the full one's file goes.
        Start-SfPartitionBackup -PartitionId $victim -Wait -Session $script:oldCluster | Out-Null
        Start-SfPartitionBackup -PartitionId $victim -Wait -Session $script:oldCluster | Out-Null
        $full = Get-SfBackup -PartitionId $victim -Session $script:oldCluster | Where-Object BackupType -eq 'Full' | Select-Object -Last 1
        Remove-Item (Join-Path $script:Storage "$($full.BackupId).json")
        Get-SfBackupCatalog -Storage $script:BlobStorage -ServiceName fabric:/CalcApp/CalcService -CachePath $file -Session $script:oldCluster | Out-Null

        # The storage folder outlives the emulators' resets: earlier tests' chains are in it too, and are whole.
        $broken = { $_.PartitionId -eq $victim -and $_.BackupChainId -eq $full.BackupChainId }
        $inOld = @(Test-SfBackupChain -CachePath $file -ClusterSession $script:oldCluster)
        @($inOld | Where-Object $broken).State | Should -Be @('NoFull')
        ($inOld | Where-Object $broken).Problem | Should -Match 'no full backup'
        @($inOld | Where-Object { -not (& $broken) }).State | Sort-Object -Unique | Should -Be 'Complete'
        $inOld.PartitionExists | Sort-Object -Unique | Should -Be $true

        $inNew = @(Get-SfBackupCatalog -CachePath $file | Test-SfBackupChain -ClusterSession $script:newCluster)
        @($inNew | Where-Object $broken).State | Should -Be @('NoFull') -Because 'a broken chain is named for what is broken, orphaned or not'
        @($inNew | Where-Object { -not (& $broken) }).State | Sort-Object -Unique | Should -Be 'Orphaned'
        ($inNew | Where-Object { -not (& $broken) })[0].Problem | Should -Match 'none of the clusters'
    }

    It 'judges chains with no cluster connected, and looks nothing up' {
        $file = Join-Path $TestDrive 'offline.json'
        Get-SfBackupCatalog -ServiceName fabric:/CalcApp/CalcService -CachePath $file -Session $script:oldCluster | Out-Null
        Clear-SfTestJournal $script:OldEmulator
        Disconnect-SfCluster -ErrorAction SilentlyContinue
        $reports = @(Test-SfBackupChain -CachePath $file)
        $reports.Count | Should -Be 1
        $reports[0].State | Should -Be 'Complete'
        $reports[0].PartitionExists | Should -BeNullOrEmpty
        Get-Calls $script:OldEmulator | Should -HaveCount 0
    }
}
