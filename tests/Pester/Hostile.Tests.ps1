#Requires -Version 5.1
# The hostile run: hundreds of generated bad inputs across every cmdlet (names, ids, storage, schedules, endpoints,
# time ranges). Each must end in an ErrorRecord with a stable id and a short message, and the emulator's journal must
# show that nothing was sent. .ci/run prints the count this suite leaves in artifacts/test-results/hostile-summary.txt.

BeforeDiscovery {
    $seed = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
    $binding = 'ParameterArgumentValidationError*'
    $cases = [System.Collections.Generic.List[hashtable]]::new()
    function Add-Case([string] $Command, [string] $Id, [string] $Family) {
        $cases.Add(@{ Name = "$Family :: $($Command.Substring(0, [Math]::Min(110, $Command.Length)))"; Command = $Command; Id = $Id })
    }

    # Policy names that cannot stand in a path of their own, or are wildcards where none are taken.
    $policyNames = @("'..'", "'.'", "'a/b'", "'a\b'", "'a?b'", "'a#b'", '"a`tb"', "' padded'", "'Daily*'", "'[abc]'", "(('x' * 5000) + '/..')")
    $policyCmdlets = @(
        'Remove-SfBackupPolicy {0} -Confirm:$false'
        'Get-SfBackupPolicyEntity {0}'
        "Set-SfBackupPolicy {0} -Interval '01:00:00'"
        "New-SfBackupPolicy {0} -Interval '01:00:00' -Storage `$share"
        "Enable-SfPartitionBackup $seed -BackupPolicyName {0}"
        'Enable-SfServiceBackup fabric:/CalcApp/CalcService -BackupPolicyName {0}'
        'Enable-SfApplicationBackup fabric:/CalcApp -BackupPolicyName {0}'
    )
    foreach ($cmdlet in $policyCmdlets) { foreach ($name in $policyNames) { Add-Case ($cmdlet -f $name) $binding 'policy name' } }
    foreach ($name in "'..'", "'a/b'", "'a?b'", '"a`nb"') { Add-Case "Get-SfBackupPolicy $name" $binding 'policy name' }

    # Application and service names that would reach another route, or no route.
    $entityNames = @("'fabric:/..'", "'fabric:/.'", "'fabric:/CalcApp/..'", "'CalcApp/./CalcService'", "'fabric:/'", "'app?x=1'", "'app#x'", "'a\b'", "'fabric:/Calc*'", "'fabric:/a//b'", '"fabric:/a`nb"', "'fabric:/[x]'")
    $applicationCmdlets = @(
        'Enable-SfApplicationBackup {0} -BackupPolicyName DailyAzureBackupPolicy'
        'Disable-SfApplicationBackup {0}'
        'Suspend-SfApplicationBackup {0}'
        'Resume-SfApplicationBackup {0}'
        'Get-SfService {0}'
        'Get-SfBackup -ApplicationName {0}'
        'Get-SfBackupConfiguration -ApplicationName {0}'
        'Get-SfBackupHealth -ApplicationName {0}'
        'Restore-SfApplication {0} -PointInTime (Get-Date) -Force'
        'Test-SfLastBackup -ApplicationName {0} -VerifyOnly'
    )
    $serviceCmdlets = @(
        'Enable-SfServiceBackup {0} -BackupPolicyName DailyAzureBackupPolicy'
        'Disable-SfServiceBackup {0}'
        'Suspend-SfServiceBackup {0}'
        'Resume-SfServiceBackup {0}'
        'Get-SfPartition {0}'
        'Get-SfBackup -ServiceName {0}'
        'Get-SfBackupConfiguration -ServiceName {0}'
        'Get-SfBackupHealth -ServiceName {0}'
        'Restore-SfService {0} -PointInTime (Get-Date) -Force'
        'Test-SfLastBackup -ServiceName {0} -VerifyOnly'
        'Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillServiceName {0}'
    )
    foreach ($cmdlet in $applicationCmdlets + $serviceCmdlets) { foreach ($name in $entityNames) { Add-Case ($cmdlet -f $name) $binding 'entity name' } }

    # Partition ids that are not partitions.
    $partitionInputs = @("'abc'", "'00000000-0000-0000-0000-000000000000'", "@{ PartitionId = 'abc' }", "[pscustomobject]@{ PartitionInformation = [pscustomobject]@{ Id = 'nope' } }", '12345', "('g' * 40)")
    $partitionCmdlets = @(
        'Resume-SfPartitionBackup', 'Suspend-SfPartitionBackup', 'Disable-SfPartitionBackup', 'Start-SfPartitionBackup', 'Get-SfPartitionBackupProgress',
        'Get-SfPartitionRestoreProgress', 'Skip-SfPartitionAutoRestore', 'Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy',
        "Restore-SfPartition -BackupId $([guid]::NewGuid()) -BackupLocation x -Confirm:`$false"
    )
    foreach ($cmdlet in $partitionCmdlets) { foreach ($value in $partitionInputs) { Add-Case "$cmdlet -PartitionId $value" 'ParameterArgumentTransformationError*' 'partition id' } }
    foreach ($cmdlet in 'Get-SfBackup', 'Get-SfBackupConfiguration', 'Get-SfBackupHealth', 'Test-SfLastBackup -VerifyOnly') {
        foreach ($value in $partitionInputs | Where-Object { $_ -notlike "'00000000*" }) { Add-Case "$cmdlet -PartitionId $value" 'ParameterArgumentTransformationError*' 'partition id' }
    }

    # A storage whose secret the cluster masked, wherever a storage travels.
    foreach ($command in @(
            "Start-SfPartitionBackup $seed -Storage `$masked"
            "'a1b2c3d4-0001-4000-8000-000000000001', '$seed' | Start-SfPartitionBackup -Storage `$masked"
            "Restore-SfPartition $seed -BackupId $([guid]::NewGuid()) -BackupLocation x -Storage `$masked -Confirm:`$false"
            'Get-SfBackup -Storage $masked'
            'Get-SfBackup -Storage $masked -ServiceName fabric:/CalcApp/CalcService'
            "New-SfBackupPolicy -Name copy -Interval '01:00:00' -Storage `$masked"
            "Set-SfBackupPolicy -Name HourlyFileShareBackupPolicy -Storage `$masked"
            'Restore-SfService fabric:/CalcApp/CalcService -PointInTime (Get-Date) -Storage $masked -Force'
            'Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillServiceName fabric:/Inventory/Stock -Storage $masked'
            'Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -VerifyOnly -Storage $masked'
        )) { Add-Case $command 'SfMaskedStorageSecret*' 'masked storage' }

    # Restore drills that cannot be run as asked: no target, a slice that is not one, a sample that is not 1/N.
    $drill = 'Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillServiceName fabric:/Inventory/Stock'
    Add-Case 'Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService' 'SfDrillTargetRequired*' 'drill'
    Add-Case "$drill -Slice 2" 'SfInvalidArgument*' 'drill'
    Add-Case "$drill -Sample 1/7 -Slice 8" 'SfInvalidArgument*' 'drill'
    foreach ($sample in "'2/7'", "'1/0'", "'1/1000'", "'x'", "'1/7/7'", "'-1/7'") { Add-Case "$drill -Sample $sample" $binding 'drill' }
    foreach ($bad in '-ThrottleLimit 0', '-ThrottleLimit 65', "-MaxDuration '00:00:00'", "-HealthTimeToLive '00:00:10'", '-WaitTimeoutSec 0', '-RestoreTimeoutMinutes 0') {
        Add-Case "$drill $bad" $binding 'drill'
    }

    # Storage descriptions that no cluster can use.
    $key = "(ConvertTo-SecureString 'k' -AsPlainText -Force)"
    foreach ($container in "'a'", "'a_b'", "'-ab'", "'ab-'", "'a--b'", "('x' * 64)", "'ab cd'", "'a.b'") {
        Add-Case "New-SfBackupStorage -ConnectionString $key -ContainerName $container" 'SfInvalidContainerName*' 'storage'
        Add-Case "New-SfBackupStorage -BlobServiceUri https://a.blob.core.windows.net/ -ContainerName $container" 'SfInvalidContainerName*' 'storage'
        Add-Case "New-SfBackupStorage -StorageCredentialsSourceLocation https://dsms/x -ContainerName $container" 'SfInvalidContainerName*' 'storage'
    }
    foreach ($uri in 'ftp://files.example/', 'file:///c:/backups', 'https://a.blob.core.windows.net/?sig=x', 'ldap://dir/') {
        Add-Case "New-SfBackupStorage -BlobServiceUri '$uri' -ContainerName backups" 'SfInvalidBlobServiceUri*' 'storage'
    }

    # Schedules the cluster cannot keep.
    foreach ($interval in "'00:00:00'", "'00:00:30'", "'00:00:59'", "'15.00:01:00'", "'100.00:00:00'", "'01:00:30'", "'-01:00:00'") {
        Add-Case "New-SfBackupPolicy -Name p -Interval $interval -Storage `$share" $binding 'schedule'
        Add-Case "Set-SfBackupPolicy -Name HourlyFileShareBackupPolicy -Interval $interval" $binding 'schedule'
    }

    # Endpoints and connection settings.
    foreach ($endpoint in 'ftp://gw:19080', 'file:///etc/passwd', 'http://user:pw@gw:19080', 'http://gw:19080/?q=1', 'http://gw:19080/#f', 'gw:19080') {
        Add-Case "Connect-SfCluster -Endpoint '$endpoint' -NoDefault" 'SfInvalidConnection*' 'endpoint'
    }
    foreach ($version in "'1.0'", "'5.9'", "'0.0'") { Add-Case "Connect-SfCluster -ApiVersion $version -NoDefault" 'SfInvalidApiVersion*' 'endpoint' }
    foreach ($version in "'latest'", "'6.4.1'", "'6'", "' 6.4'") { Add-Case "Connect-SfCluster -ApiVersion $version -NoDefault" $binding 'endpoint' }
    Add-Case "Connect-SfCluster -Endpoint http://gw:19080 -AccessToken $key -NoDefault" 'SfCredentialOverHttp*' 'endpoint'
    Add-Case 'Connect-SfCluster -TimeoutSec 0 -NoDefault' $binding 'endpoint'
    Add-Case 'Connect-SfCluster -RetryCount 99 -NoDefault' $binding 'endpoint'
    Add-Case 'Connect-SfCluster -ServerCertThumbprint nothex -NoDefault' 'SfInvalidConnection*' 'endpoint'

    # Configuration files that cannot be applied: missing, not this format, of a later version, a secret inline.
    foreach ($cmdlet in 'Compare-SfBackupConfiguration', 'Sync-SfBackupConfiguration', 'Sync-SfBackupConfiguration -Prune -Force') {
        Add-Case "$cmdlet -Path (Join-Path ([IO.Path]::GetTempPath()) 'sfbackup-no-such-file.json')" 'SfConfigurationFileUnreadable*' 'configuration file'
        foreach ($content in "'[]'", "'{}'", "'not json'", "'{`"SfBackupConfiguration`":9}'", "'{`"SfBackupConfiguration`":1,`"Policies`":[{`"Name`":`"p`",`"Storage`":{`"StorageKind`":`"AzureBlobStore`",`"ContainerName`":`"c`",`"ConnectionString`":`"AccountKey=x`"}}]}'",
            "'{`"SfBackupConfiguration`":1,`"Mappings`":[{`"Kind`":`"Service`",`"Name`":`"fabric:/a/..`",`"Policy`":`"p`"}]}'") {
            Add-Case "`$p = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-hostile-{0}.json' -f [guid]::NewGuid()); Set-Content -Path `$p -Value $content; $cmdlet -Path `$p" 'SfInvalidConfigurationFile*' 'configuration file'
        }
    }
    Add-Case "Export-SfBackupConfiguration -SecretName @{ DailyAzureBackupPolicy = '' }" 'SfInvalidArgument*' 'configuration file'

    # Catalog files that are not catalogs, wherever a catalog is read; a catalog that cannot be built as asked.
    foreach ($content in "'[]'", "'not json'", "'{`"Items`":[]}'", "'{`"SfBackupCatalog`":5,`"Items`":[]}'") {
        $file = "`$p = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-hostile-{0}.json' -f [guid]::NewGuid()); Set-Content -Path `$p -Value $content"
        Add-Case "$file; Get-SfBackupCatalog -CachePath `$p" 'SfInvalidCatalogFile*' 'catalog file'
        Add-Case "$file; Test-SfBackupChain -CachePath `$p" 'SfInvalidCatalogFile*' 'catalog file'
        Add-Case "$file; Restore-SfService fabric:/CalcApp/CalcService -PointInTime (Get-Date) -Catalog `$p -Force" 'SfInvalidCatalogFile*' 'catalog file'
    }
    Add-Case "Test-SfBackupChain -CachePath (Join-Path ([IO.Path]::GetTempPath()) 'sfbackup-no-such-catalog.json')" 'SfCatalogFileUnreadable*' 'catalog file'
    Add-Case "Restore-SfApplication fabric:/CalcApp -PointInTime (Get-Date) -Catalog (Join-Path ([IO.Path]::GetTempPath()) 'sfbackup-no-such-catalog.json') -Force" 'SfCatalogFileUnreadable*' 'catalog file'
    Add-Case 'Get-SfBackupCatalog -Storage $masked -ApplicationName fabric:/CalcApp' 'SfMaskedStorageSecret*' 'masked storage'
    Add-Case "Get-SfBackupCatalog -ServiceName fabric:/CalcApp/CalcService -StartTime '2026-12-01' -EndTime '2026-11-01'" 'SfInvalidTimeRange*' 'time range'
    foreach ($name in $entityNames) { Add-Case "Get-SfBackupCatalog -ServiceName $name" $binding 'entity name' }

    # Time ranges that no backup can match.
    foreach ($scope in "-PartitionId $seed", '-ServiceName fabric:/CalcApp/CalcService', '-ApplicationName fabric:/CalcApp') {
        Add-Case "Get-SfBackup $scope -StartTime '2026-12-01' -EndTime '2026-11-01'" 'SfInvalidTimeRange*' 'time range'
    }
    Add-Case "Get-SfBackup -Storage `$share -StartTime '2026-12-01' -EndTime '2026-11-01'" 'SfInvalidTimeRange*' 'time range'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    Import-SfBackupUnderTest
    $script:Emulator = Start-SfTestEmulator
    Connect-SfCluster -Endpoint $script:Emulator.Url -RetryCount 0 | Out-Null
    $script:masked = (Get-SfBackupPolicy DailyAzureBackupPolicy).Storage
    if (-not $script:masked.HasMaskedSecret) { throw 'The emulator did not mask the policy storage secret.' }
    $script:share = New-SfBackupStorage -Path '\\nas\backups'
    $script:refused = 0
}

AfterAll {
    $folder = Join-Path $PSScriptRoot '../../artifacts/test-results'
    New-Item -ItemType Directory -Force -Path $folder | Out-Null
    '{0} {1}' -f $script:refused, $script:total | Set-Content -Path (Join-Path $folder 'hostile-summary.txt') -Encoding ascii
    Disconnect-SfCluster -ErrorAction SilentlyContinue
    Stop-SfTestEmulator $script:Emulator
}

Describe 'Hostile input' {
    BeforeAll { $script:total = 0 }

    It '<Name>' -ForEach $cases {
        $script:total++
        Reset-SfTestEmulator $script:Emulator
        $masked = $script:masked
        $share = $script:share
        $record = $null
        try {
            . ([scriptblock]::Create("$Command -ErrorAction Stop")) | Out-Null
        }
        catch {
            $record = $_
        }
        $record | Should -Not -BeNullOrEmpty -Because 'a hostile input must end in an error'
        $record.FullyQualifiedErrorId | Should -BeLike $Id
        $record.Exception.Message.Length | Should -BeLessThan 1000 -Because 'a message repeats at most a clipped part of the input'
        $record.Exception.Message | Should -Not -Match '\s+at [\w.]+\(' -Because 'no stack trace reaches the user'
        @(Get-SfTestJournal $script:Emulator | Where-Object { $_.RawTarget -notlike '/$Emulator/*' }) | Should -HaveCount 0 -Because 'nothing is sent'
        $script:refused++
    }

    It 'ran at least 200 hostile inputs' {
        $script:total | Should -BeGreaterOrEqual 200
    }
}
