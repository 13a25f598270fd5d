#Requires -Version 7.4
# Backup configuration as code (issue 20): export from one emulator, compare with and sync to a second whose
# partitions have other ids, with the journals as the witness of what was sent.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:ProdEmulator = Start-SfTestEmulator
    $script:StandbyEmulator = Start-SfTestEmulator -Settings @('--Emulator:AcceptedSeconds=1', '--Emulator:BackupSeconds=2', '--Emulator:NewCluster=true')
    Import-SfBackupUnderTest
    $script:SharePassword = 'Sh4re-Pa55-' + [guid]::NewGuid().ToString('N')
    $script:BlobKey = 'emulator-account-key'

    function Reset-Both {
        Reset-SfTestEmulator $script:ProdEmulator
        Reset-SfTestEmulator $script:StandbyEmulator
        $script:prod = Connect-SfCluster -Endpoint $script:ProdEmulator.Url -NoDefault
        $script:standby = Connect-SfCluster -Endpoint $script:StandbyEmulator.Url -NoDefault
    }
    # Production gets what a real one has beyond the emulator's defaults: a share with a password, and a partition
    # with a policy of its own.
    function Initialize-Production {
        $credential = [pscredential]::new('backup-ops', (ConvertTo-SecureString $script:SharePassword -AsPlainText -Force))
        New-SfBackupPolicy -Name NightlyShare -RunTime '02:00' -Storage (New-SfBackupStorage -Path '\\nas\sf-backups' -Credential $credential) -RetentionDuration 7.00:00:00 -Session $script:prod | Out-Null
        Enable-SfPartitionBackup -PartitionId 'a1b2c3d4-0002-4000-8000-000000000002' -BackupPolicyName NightlyShare -Session $script:prod | Out-Null
    }
    function Get-StatePosts($Emulator) { @(Get-SfTestJournal $Emulator | Where-Object { $_.Method -in 'POST', 'PUT', 'DELETE' -and $_.RawTarget -notlike '/$Emulator/*' }) }
    $script:Secrets = @{
        'prod-backup-blob'                          = (ConvertTo-SecureString "DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=$($script:BlobKey)" -AsPlainText -Force)
        'SfBackup/NightlyShare/PrimaryPassword'    = (ConvertTo-SecureString $script:SharePassword -AsPlainText -Force)
    }
}

AfterAll {
    Stop-SfTestEmulator $script:ProdEmulator
    Stop-SfTestEmulator $script:StandbyEmulator
}

Describe 'Export-, Compare- and Sync-SfBackupConfiguration' {
    BeforeEach { Reset-Both }

    It 'runs the README example: the standby ends with no drift, the partition mapped by key, and the file holds no secret' {
        # The standby drifted: another interval, a suspension lifted, a mapping the file does not have.
        Set-SfBackupPolicy HourlyFileShareBackupPolicy -Interval 02:00:00 -Session $script:standby | Out-Null
        Resume-SfServiceBackup fabric:/CalcApp/CalcService -Session $script:standby | Out-Null
        Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy -Session $script:standby | Out-Null
        Clear-SfTestJournal $script:StandbyEmulator

        $example = (Get-SfReadmeExample '# configuration-as-code example').ToString().Replace('http://127.0.0.1:19080', $script:ProdEmulator.Url.TrimEnd('/')).Replace('http://127.0.0.1:19081', $script:StandbyEmulator.Url.TrimEnd('/'))
        $summary = . ([scriptblock]::Create($example))

        $summary | Should -Match '0 difference\(s\) after'
        $drift.Count | Should -BeGreaterThan 3
        $after.Count | Should -Be 0
        $steps.Result | Should -Not -Contain 'Failed'
        ($steps | Where-Object Action -eq 'CreatePolicy').Target | Should -Be 'NightlyShare'
        ($steps | Where-Object Action -eq 'DisableBackup').Target | Should -Be 'Service fabric:/Inventory/Stock'
        # The partition is found by its key in a cluster where its id is another.
        $standbyPartition = (Get-SfPartition fabric:/Inventory/Stock -Session $script:standby)[1].PartitionId
        $standbyPartition | Should -Not -Be ([guid]'a1b2c3d4-0002-4000-8000-000000000002')
        (Get-SfBackupConfiguration -PartitionId $standbyPartition -Session $script:standby).PolicyName | Should -Be 'NightlyShare'
        # One create, whatever else.
        @(Get-StatePosts $script:StandbyEmulator | Where-Object RawTarget -like '/BackupRestore/BackupPolicies/$/Create*').Count | Should -Be 1

        $text = Get-Content $file -Raw
        $text | Should -Not -Match ([regex]::Escape($script:BlobKey))
        $text | Should -Not -Match 'Sh4re-Pa55'
        $text | Should -Not -Match 'AccountKey|\*\*\*\*'
        $text | Should -Match '"SecretName": "prod-backup-blob"'
        $text | Should -Match '"SecretName": "prod-backup-share"'
        $text | Should -Match '"Partition": "Int64Range\|100\|199"'
    }

    It 'writes a stable file: two exports of the same cluster are the same text, sorted' {
        Initialize-Production
        $first = Export-SfBackupConfiguration -Session $script:prod
        $second = Export-SfBackupConfiguration -Session $script:prod
        $second | Should -BeExactly $first
        $names = (($first | ConvertFrom-Json).Policies).Name
        $names | Should -Be @($names | Sort-Object -CaseSensitive)
    }

    It 'a one-field change: -WhatIf lists exactly that update and sends nothing, a run sends one update, a second run none' {
        $file = Join-Path $TestDrive 'one-field.json'
        Export-SfBackupConfiguration -Path $file -Session $script:prod
        (Get-Content $file -Raw).Replace('"Interval": "PT1H"', '"Interval": "PT4H"') | Set-Content $file
        Clear-SfTestJournal $script:ProdEmulator

        $plan = @(Sync-SfBackupConfiguration -Path $file -Session $script:prod -WhatIf)
        $plan.Count | Should -Be 1
        $plan[0].Action | Should -Be 'UpdatePolicy'
        $plan[0].Target | Should -Be 'HourlyFileShareBackupPolicy'
        $plan[0].Reason | Should -Match 'Schedule.Interval'
        Get-StatePosts $script:ProdEmulator | Should -HaveCount 0

        $applied = @(Sync-SfBackupConfiguration -Path $file -Session $script:prod)
        $applied.Result | Should -Be @('Applied')
        $posts = Get-StatePosts $script:ProdEmulator
        $posts | Should -HaveCount 1
        $posts[0].RawTarget | Should -BeLike '/BackupRestore/BackupPolicies/HourlyFileShareBackupPolicy/$/Update*'
        (Get-SfBackupPolicy HourlyFileShareBackupPolicy -Session $script:prod).Schedule.Interval | Should -Be ([timespan]'04:00:00')

        Clear-SfTestJournal $script:ProdEmulator
        @(Sync-SfBackupConfiguration -Path $file -Session $script:prod).Count | Should -Be 0
        Get-StatePosts $script:ProdEmulator | Should -HaveCount 0
        Compare-SfBackupConfiguration -Path $file -Session $script:prod | Should -BeNullOrEmpty
    }

    It '-Reapply updates every unchanged policy with its own values, and nothing else' {
        $file = Join-Path $TestDrive 'reapply.json'
        Export-SfBackupConfiguration -Path $file -SecretName @{ DailyAzureBackupPolicy = 'prod-backup-blob' } -Session $script:prod
        Clear-SfTestJournal $script:ProdEmulator
        $steps = @(Sync-SfBackupConfiguration -Path $file -Reapply -Secret $script:Secrets -Session $script:prod)
        $steps.Action | Should -Be @('UpdatePolicy', 'UpdatePolicy')
        $steps.Result | Should -Be @('Applied', 'Applied')
        @(Get-StatePosts $script:ProdEmulator | Where-Object RawTarget -like '*/$/Update*').Count | Should -Be 2
        @(Get-StatePosts $script:ProdEmulator).Count | Should -Be 2
    }

    It 'sends no policy whose secret cannot be resolved, and names the reference' {
        $file = Join-Path $TestDrive 'secret.json'
        Export-SfBackupConfiguration -Path $file -Session $script:prod
        Remove-SfBackupPolicy HourlyFileShareBackupPolicy -Session $script:standby -Confirm:$false
        Disable-SfApplicationBackup fabric:/CalcApp -Session $script:standby -Confirm:$false | Out-Null
        Remove-SfBackupPolicy DailyAzureBackupPolicy -Session $script:standby -Confirm:$false
        Clear-SfTestJournal $script:StandbyEmulator

        $steps = @(Sync-SfBackupConfiguration -Path $file -Session $script:standby -ErrorVariable failures -ErrorAction SilentlyContinue)
        ($steps | Where-Object Target -eq 'DailyAzureBackupPolicy').Result | Should -Be 'Failed'
        ($steps | Where-Object Target -eq 'HourlyFileShareBackupPolicy').Result | Should -Be 'Applied'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SfSecretNotResolved*'
        "$($failures[0])" | Should -Match 'SfBackup/DailyAzureBackupPolicy/ConnectionString'
        @(Get-StatePosts $script:StandbyEmulator | Where-Object RawTarget -like '*/$/Create*').Count | Should -Be 1
    }

    It 'refuses a file with a secret in it, or of a later version, before anything is read from the cluster' {
        $file = Join-Path $TestDrive 'bad.json'
        Export-SfBackupConfiguration -Path $file -Session $script:prod
        $json = Get-Content $file -Raw
        $json.Replace('{
          "SecretName": "SfBackup/DailyAzureBackupPolicy/ConnectionString"
        }', '"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b"') | Set-Content $file
        Clear-SfTestJournal $script:ProdEmulator
        { Sync-SfBackupConfiguration -Path $file -Session $script:prod } | Should -Throw -ErrorId 'SfInvalidConfigurationFile,*'
        $json.Replace('"SfBackupConfiguration": 1', '"SfBackupConfiguration": 7') | Set-Content $file
        { Compare-SfBackupConfiguration -Path $file -Session $script:prod } | Should -Throw -ErrorId 'SfInvalidConfigurationFile,*'
        @(Get-SfTestJournal $script:ProdEmulator | Where-Object { $_.RawTarget -notlike '/$Emulator/*' }).Count | Should -Be 0
    }
}
