#Requires -Version 5.1
# Pester 5 suite for the built module folder. Run through Invoke-SfPester.ps1 (or dotnet test where pwsh exists).

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    Import-SfBackupUnderTest
    $script:Emulator = Start-SfTestEmulator
    $script:SeedPartition = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
    $script:StatelessPartition = '0b1e9c42-3c55-4f2b-8f4e-0f6a1f0c7a11'
    $script:UnknownPartition = '99999999-9999-4999-8999-999999999999'
    $script:StockPartitions = 1..4 | ForEach-Object { 'a1b2c3d4-000{0}-4000-8000-00000000000{0}' -f $_ }
}

AfterAll {
    Disconnect-SfCluster -ErrorAction SilentlyContinue
    Stop-SfTestEmulator $script:Emulator
}

Describe 'Module' {
    It 'exports exactly the documented cmdlets' {
        $names = (Get-Command -Module SfBackup).Name | Sort-Object
        $manifest = Import-PowerShellDataFile (Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1')
        $names | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $names.Count | Should -Be 40
    }

    It 'offers -WhatIf and -Confirm on every cmdlet that changes the cluster' {
        $changing = Get-Command -Module SfBackup | Where-Object { $_.Verb -in 'Enable', 'Disable', 'Suspend', 'Resume', 'Start', 'Restore', 'Skip', 'Set', 'Remove', 'Sync' -or $_.Name -in 'New-SfBackupPolicy', 'Test-SfLastBackup' }
        $changing.Count | Should -Be 22
        foreach ($name in $changing.Name) {
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command $name).Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}

Describe 'Help' {
    It 'Get-Help shows synopsis, parameter text and examples for <Name>' -ForEach @(
        @{ Name = 'Restore-SfPartition' }
        @{ Name = 'New-SfBackupPolicy' }
        @{ Name = 'Connect-SfCluster' }
    ) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, Get-Help makes the synopsis from the syntax line, which names the cmdlet.
        $help.Synopsis | Should -Not -Match ([regex]::Escape($Name))
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        ($help.Parameters.Parameter | Where-Object Name -ne 'Session' | Select-Object -First 1).Description | Should -Not -BeNullOrEmpty
    }
}

Describe 'Help of every cmdlet, as Get-Help shows it' {
    It 'ships about_SfBackup' {
        $topic = Get-Help about_SfBackup | Out-String
        $topic | Should -Match 'CONNECTIONS AND SESSIONS'
        $topic | Should -Match 'FullyQualifiedErrorId'
    }

    BeforeDiscovery {
        # The module is imported after discovery: the cmdlets come from the manifest.
        $exported = (Import-PowerShellDataFile (Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
    }

    It '<Name>: -WhatIf and -Confirm in the syntax where it changes the cluster, every parameter described, defaults shown, inputs and related links' -ForEach $exported {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $shouldProcess = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].SupportsShouldProcess
        foreach ($syntax in @($help.syntax.syntaxItem)) {
            $names = @($syntax.parameter.name)
            if ($shouldProcess) { $names | Should -Contain 'WhatIf'; $names | Should -Contain 'Confirm' }
            else { $names | Should -Not -Contain 'WhatIf' }
        }
        foreach ($parameter in @($help.parameters.parameter | Where-Object { $_.name })) {
            ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
        }
        # A parameter that starts with a value of its own shows it as its default.
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $common -and -not $_.Attributes.DontShow }) {
            $value = $instance.($parameter.Name)
            $empty = if ($parameter.ParameterType.IsValueType) { [Activator]::CreateInstance($parameter.ParameterType) } else { $null }
            if ($null -eq $value -or $value -eq $empty -or "$value" -eq '') { continue }
            $shown = ($help.parameters.parameter | Where-Object Name -eq $parameter.Name).defaultValue
            "$shown" | Should -BeLike "$("$value".TrimEnd('/'))*" -Because "-$($parameter.Name) starts as $value"
        }
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_SfBackup'
    }
}

Describe 'Tab completion' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    AfterAll { Disconnect-SfCluster -ErrorAction SilentlyContinue }

    It 'completes -PartitionId with the cluster''s stateful partition ids, never file names' {
        New-Item -ItemType File -Path (Join-Path $TestDrive 'a1b2-not-a-partition.txt') | Out-Null
        Push-Location $TestDrive
        try {
            $line = 'Suspend-SfPartitionBackup -PartitionId a1b2'
            $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        }
        finally { Pop-Location }
        $matches.CompletionText | Should -Be @('a1b2c3d4-0001-4000-8000-000000000001', 'a1b2c3d4-0002-4000-8000-000000000002', 'a1b2c3d4-0003-4000-8000-000000000003', 'a1b2c3d4-0004-4000-8000-000000000004')
        $matches.ToolTip | Should -Match 'fabric:/Inventory/Stock Int64Range'
    }

    It 'offers no stateless service to a backup cmdlet, and offers it to Get-SfPartition' {
        $line = 'Enable-SfServiceBackup -ServiceName fabric:/CalcApp/Calc'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('fabric:/CalcApp/CalcService')
        $line = 'Get-SfPartition -ServiceName fabric:/CalcApp/Calc'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('fabric:/CalcApp/CalcGateway', 'fabric:/CalcApp/CalcService')
    }
}

Describe 'Connections' {
    AfterEach { Disconnect-SfCluster -ErrorAction SilentlyContinue }

    It 'writes a connection''s endpoints as addresses in CSV, not as a type name' {
        $connection = Connect-SfCluster -Endpoint $script:Emulator.Url, http://127.0.0.1:1 -NoDefault
        $row = $connection | ConvertTo-Csv | ConvertFrom-Csv
        $row.Endpoints | Should -Be ("$($script:Emulator.Url.TrimEnd('/'))/ http://127.0.0.1:1/")
        "$($connection.Endpoints)" | Should -Not -Match 'System\.'
    }

    It 'Connect-SfCluster returns the connection and makes it the default' {
        $connection = Connect-SfCluster -Endpoint $script:Emulator.Url
        $connection.Endpoints[0].ToString() | Should -Be ($script:Emulator.Url.TrimEnd('/') + '/')
        Get-SfClusterConnection | Should -Be $connection
    }

    It 'keeps the default when Connect-SfCluster runs inside a function' {
        function Connect-Inside { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
        Connect-Inside
        Get-SfClusterConnection | Should -Not -BeNullOrEmpty
    }

    It 'fails with SfNoConnection when there is no connection' {
        Disconnect-SfCluster
        $err = $null
        try { Resume-SfPartitionBackup -PartitionId $script:SeedPartition -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'SfNoConnection,SfBackup.PowerShell.Cmdlets.ResumeSfPartitionBackupCommand'
    }

    It 'refuses a timeout out of range before connecting' {
        { Connect-SfCluster -Endpoint $script:Emulator.Url -TimeoutSec 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,SfBackup.PowerShell.Cmdlets.ConnectSfClusterCommand'
    }

    It 'uses -Session instead of the default' {
        $other = Connect-SfCluster -Endpoint $script:Emulator.Url -NoDefault
        Get-SfClusterConnection -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition -Session $other).RestoreState | Should -Be 'Success'
        Disconnect-SfCluster -Session $other
    }
}

Describe 'Partition cmdlets' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'Resume-SfPartitionBackup resumes and emits nothing without -PassThru' {
        Resume-SfPartitionBackup -PartitionId $script:SeedPartition | Should -BeNullOrEmpty
    }

    It 'Resume-SfPartitionBackup -PassThru emits an object that names the partition' {
        $result = Resume-SfPartitionBackup -PartitionId $script:SeedPartition -PassThru
        $result.PartitionId | Should -Be ([guid]$script:SeedPartition)
        $result.Operation | Should -Be 'ResumePartitionBackup'
    }

    It '-WhatIf sends nothing' {
        Resume-SfPartitionBackup -PartitionId $script:SeedPartition -WhatIf
        # Still suspended, so a real resume now succeeds.
        Resume-SfPartitionBackup -PartitionId $script:SeedPartition -PassThru | Should -Not -BeNullOrEmpty
    }

    It 'Enable-SfPartitionBackup enables with a policy' {
        (Enable-SfPartitionBackup -PartitionId $script:StockPartitions[0] -BackupPolicyName DailyAzureBackupPolicy -PassThru).Operation |
            Should -Be 'EnablePartitionBackup'
    }

    It 'Start-SfPartitionBackup reports a second backup while one runs as ResourceBusy' {
        Start-SfPartitionBackup -PartitionId $script:SeedPartition
        Start-SfPartitionBackup -PartitionId $script:SeedPartition -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'FABRIC_E_BACKUP_IN_PROGRESS,SfBackup.PowerShell.Cmdlets.StartSfPartitionBackupCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
    }

    It 'Start-SfPartitionBackup -Storage sends a one-off storage and never shows its secret' {
        $secret = ConvertTo-SecureString 'AccountKey=never-show-this' -AsPlainText -Force
        $storage = New-SfBackupStorage -ConnectionString $secret -ContainerName adhoc
        $out = Start-SfPartitionBackup -PartitionId $script:StockPartitions[1] -Storage $storage -PassThru -Verbose 4>&1
        ($out | Out-String) | Should -Not -Match 'never-show-this'
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $storage.ToString() | Should -Not -Match 'never-show-this'
    }

    It 'Get-SfPartitionRestoreProgress returns a typed object' {
        $progress = Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition
        # The client's types live in the module's private load context, where type literals do not reach: compare
        # enums with their names, and check types through PSObject.TypeNames.
        $progress.RestoreState | Should -Be 'Success'
        $progress.PSObject.TypeNames[0] | Should -Be 'SfBackup.Client.Models.RestoreProgressInfo'
        $progress.RestoredLsn | Should -Be 261
        $progress.RestoredEpoch.DataLossNumber | Should -Be 131462452931584510
        $progress.TimeStampUtc | Should -Be ([datetime]::new(2018, 1, 1, 9, 0, 55, [DateTimeKind]::Utc))
    }
}

Describe 'Pipeline input of every shape' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'takes <Shape>' -ForEach @(
        @{ Shape = 'a GUID string'; Make = { '1daae3f5-7fd6-42e9-b1ba-8c05f873994d' } }
        @{ Shape = 'a [guid]'; Make = { [guid]'1daae3f5-7fd6-42e9-b1ba-8c05f873994d' } }
        @{ Shape = 'an object with PartitionId'; Make = { [pscustomobject]@{ PartitionId = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'; ServiceKind = 'Stateful' } } }
        @{ Shape = 'an object with PartitionInformation.Id'; Make = { [pscustomobject]@{ PartitionInformation = [pscustomobject]@{ Id = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'; ServicePartitionKind = 'Int64Range' } } } }
    ) {
        $progress = & $Make | Get-SfPartitionRestoreProgress
        $progress.PartitionId | Should -Be ([guid]'1daae3f5-7fd6-42e9-b1ba-8c05f873994d')
    }

    It 'takes Import-Csv rows' {
        $csv = Join-Path $TestDrive 'partitions.csv'
        $script:StockPartitions | ForEach-Object { [pscustomobject]@{ PartitionId = $_; Note = 'stock' } } | Export-Csv -Path $csv -NoTypeInformation
        $results = Import-Csv $csv | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru
        $results.PartitionId | Should -Be ($script:StockPartitions | ForEach-Object { [guid]$_ })
    }

    It 'goes on past a failing item and names it in the error' {
        $results = $script:UnknownPartition, $script:SeedPartition |
            Resume-SfPartitionBackup -PassThru -ErrorAction SilentlyContinue -ErrorVariable errs
        @($results).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'FABRIC_E_PARTITION_NOT_FOUND,SfBackup.PowerShell.Cmdlets.ResumeSfPartitionBackupCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be ([guid]$script:UnknownPartition)
        $errs[0].ErrorDetails.Message | Should -Match $script:UnknownPartition
    }

    It 'reports a stateless partition as InvalidArgument' {
        Enable-SfPartitionBackup -PartitionId $script:StatelessPartition -BackupPolicyName DailyAzureBackupPolicy -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FABRIC_E_INVALID_FOR_STATELESS_SERVICES,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a value that is no partition at binding' {
        { Resume-SfPartitionBackup -PartitionId 'not-a-partition' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,SfBackup.PowerShell.Cmdlets.ResumeSfPartitionBackupCommand'
    }
}

Describe 'Service cmdlets' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'Resume-SfServiceBackup accepts <Name>' -ForEach @(
        @{ Name = 'fabric:/CalcApp/CalcService' }
        @{ Name = 'CalcApp/CalcService' }
        @{ Name = 'CalcApp~CalcService' }
    ) {
        (Resume-SfServiceBackup -ServiceName $Name -PassThru).ServiceName | Should -Be 'fabric:/CalcApp/CalcService'
    }

    It 'takes services from the pipeline by property name' {
        $result = [pscustomobject]@{ ServiceName = 'fabric:/CalcApp/CalcService' } | Resume-SfServiceBackup -PassThru
        $result.ServiceName | Should -Be 'fabric:/CalcApp/CalcService'
    }

    It 'reports an unknown service as ObjectNotFound' {
        Resume-SfServiceBackup -ServiceName fabric:/CalcApp/Nope -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -Be 'FABRIC_E_SERVICE_DOES_NOT_EXIST,SfBackup.PowerShell.Cmdlets.ResumeSfServiceBackupCommand'
        $errs[0].TargetObject | Should -Be 'fabric:/CalcApp/Nope'
    }

    It 'refuses a name no service can have' {
        { Resume-SfServiceBackup -ServiceName 'app/svc?x' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,SfBackup.PowerShell.Cmdlets.ResumeSfServiceBackupCommand'
    }
}

Describe 'New-SfBackupStorage' {
    It 'builds <Kind>' -ForEach @(
        @{ Kind = 'AzureBlobStore'; Make = { New-SfBackupStorage -ConnectionString (ConvertTo-SecureString 'x' -AsPlainText -Force) -ContainerName backups } }
        @{ Kind = 'ManagedIdentityAzureBlobStore'; Make = { New-SfBackupStorage -BlobServiceUri https://a.blob.core.windows.net/ -ContainerName backups -ManagedIdentityType VMSS } }
        @{ Kind = 'FileShare'; Make = { New-SfBackupStorage -Path '\\nas\b' -Credential ([pscredential]::new('d\u', (ConvertTo-SecureString 'p' -AsPlainText -Force))) } }
        @{ Kind = 'DsmsAzureBlobStore'; Make = { New-SfBackupStorage -StorageCredentialsSourceLocation https://dsms/x -ContainerName backups } }
    ) {
        (& $Make).StorageKind | Should -Be $Kind
    }
}

Describe 'Policies' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'creates a frequency-based policy from a storage object and reads it back' {
        $storage = New-SfBackupStorage -Path '\\nas\backups'
        New-SfBackupPolicy -Name every4h -Interval '04:00:00' -Storage $storage -MaxIncrementalBackups 5 -RetentionDuration (New-TimeSpan -Days 14) | Out-Null
        $policy = Get-SfBackupPolicy -Name every4h
        $policy.Schedule.Interval | Should -Be ([timespan]'04:00:00')
        $policy.RetentionPolicy.RetentionDuration | Should -Be (New-TimeSpan -Days 14)
        $policy.MaxIncrementalBackups | Should -Be 5
    }

    It 'creates a weekly policy with run days and times' {
        $storage = New-SfBackupStorage -Path '\\nas\backups'
        New-SfBackupPolicy -Name weekly -RunTime '09:00', '21:30' -RunDay 'Monday', 'Friday' -Storage $storage | Out-Null
        $schedule = (Get-SfBackupPolicy weekly).Schedule
        $schedule.Frequency | Should -Be 'Weekly'
        $schedule.RunDays | Should -Be @([DayOfWeek]::Monday, [DayOfWeek]::Friday)
    }

    It 'lists with wildcards without an error when nothing matches, and errors for a missing literal name' {
        (Get-SfBackupPolicy -Name 'Daily*').Name | Should -Be 'DailyAzureBackupPolicy'
        Get-SfBackupPolicy -Name 'Nothing*' -ErrorVariable errs | Should -BeNullOrEmpty
        $errs.Count | Should -Be 0
        Get-SfBackupPolicy -Name 'Missing' -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -Be 'FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST,SfBackup.PowerShell.Cmdlets.GetSfBackupPolicyCommand'
    }

    It 'supports -First across pages' {
        $storage = New-SfBackupStorage -Path '\\nas\backups'
        1..5 | ForEach-Object { New-SfBackupPolicy -Name "p$_" -Interval '01:00:00' -Storage $storage | Out-Null }
        (Get-SfBackupPolicy -First 3).Count | Should -Be 3
        (Get-SfBackupPolicy).Count | Should -Be 7
    }

    It 'Set-SfBackupPolicy asks for -Storage when the cluster masked the secret' {
        Set-SfBackupPolicy -Name DailyAzureBackupPolicy -MaxIncrementalBackups 7 -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SfStorageSecretRequired,*'
        $key = ConvertTo-SecureString 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b' -AsPlainText -Force
        $policy = Set-SfBackupPolicy -Name DailyAzureBackupPolicy -MaxIncrementalBackups 7 -Storage (New-SfBackupStorage -ConnectionString $key -ContainerName backups) -PassThru
        $policy.MaxIncrementalBackups | Should -Be 7
    }

    It 'Remove-SfBackupPolicy declares High impact and honours -WhatIf' {
        (Get-Command Remove-SfBackupPolicy).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        Remove-SfBackupPolicy -Name HourlyFileShareBackupPolicy -WhatIf
        Get-SfBackupPolicy -Name HourlyFileShareBackupPolicy | Should -Not -BeNullOrEmpty
        Remove-SfBackupPolicy -Name HourlyFileShareBackupPolicy -Confirm:$false
        Get-SfBackupPolicy -Name 'Hourly*' | Should -BeNullOrEmpty
    }

    It 'lists the entities a policy is enabled on' {
        (Get-SfBackupPolicyEntity -Name DailyAzureBackupPolicy).ApplicationName | Should -Be 'fabric:/CalcApp'
    }
}

Describe 'Results as JSON' {
    BeforeAll {
        Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null
        # Every enum value on an object (and on the objects it holds, three levels down) beside what
        # ConvertTo-Json without flags wrote for it, read back with ConvertFrom-Json.
        function Get-EnumWritten($Object, $Written, [string] $Path, [int] $Level = 0) {
            if ($null -eq $Object -or $Level -gt 3) { return }
            foreach ($property in $Object.PSObject.Properties) {
                $value = $property.Value
                $back = if ($null -ne $Written) { $Written.($property.Name) }
                if ($value -is [enum]) {
                    [pscustomobject]@{ Path = "$Path.$($property.Name)"; Value = $value.ToString(); Written = $back }
                } elseif ($value -is [System.Collections.IList] -and $value.Count -gt 0 -and $value[0] -is [enum]) {
                    [pscustomobject]@{ Path = "$Path.$($property.Name)"; Value = ($value | ForEach-Object ToString) -join ','; Written = ($back | ForEach-Object { "$_" }) -join ',' }
                    if (@($back | Where-Object { $_ -isnot [string] }).Count) { [pscustomobject]@{ Path = "$Path.$($property.Name)[]"; Value = 'names'; Written = 'numbers' } }
                } elseif ($null -ne $value -and $value.GetType().Namespace -like 'SfBackup.*') {
                    Get-EnumWritten $value $back "$Path.$($property.Name)" ($Level + 1)
                }
            }
        }
    }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'writes every enum of a result by name, without -EnumsAsStrings' {
        New-SfBackupPolicy -Name weekly -RunTime '09:00' -RunDay Monday, Friday -Storage (New-SfBackupStorage -Path '\\nas\backups') | Out-Null
        $results = @(
            Get-SfBackupPolicy -Name weekly
            Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition
            Get-SfBackup -PartitionId $script:SeedPartition -Latest
            Get-SfBackupHealth -PartitionId $script:SeedPartition
            Resume-SfPartitionBackup -PartitionId $script:SeedPartition -PassThru
        )
        $found = foreach ($result in $results) {
            Get-EnumWritten $result ($result | ConvertTo-Json -Depth 5 | ConvertFrom-Json) $result.GetType().Name
        }
        $found.Path | Should -Contain 'BackupPolicy.Schedule.RunDays'
        $found.Path | Should -Contain 'RestoreProgressInfo.RestoreState'
        $found.Path | Should -Contain 'SfBackupHealth.Status'
        foreach ($enum in $found) { "$($enum.Path) = $($enum.Written)" | Should -Be "$($enum.Path) = $($enum.Value)" }
        (Get-SfBackupPolicy -Name weekly | ConvertTo-Json -Depth 5 -Compress) | Should -Match '"RunDays":\["Monday","Friday"\]'
    }
}

Describe 'Discovery and whole-pipeline scenarios' {
    BeforeAll { Connect-SfCluster -Endpoint $script:Emulator.Url | Out-Null }
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'Get-SfApplication | Get-SfService | Get-SfPartition walks the cluster' {
        $partitions = Get-SfApplication -Name 'fabric:/Inventory' | Get-SfService | Get-SfPartition
        $partitions.PartitionId | Should -Be ($script:StockPartitions | ForEach-Object { [guid]$_ })
    }

    It 'Get-SfPartition -ServiceName fabric:/Inventory/Stock | Enable-SfPartitionBackup -BackupPolicyName enables every partition' {
        $results = Get-SfPartition -ServiceName fabric:/Inventory/Stock | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru
        $results.Count | Should -Be 4
        (Get-SfBackupPolicyEntity DailyAzureBackupPolicy | Where-Object EntityKind -eq 'Partition').Count | Should -Be 4
    }

    It 'runs several requests at once with -ThrottleLimit and still answers in input order' {
        $results = $script:StockPartitions | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -ThrottleLimit 3 -PassThru
        $results.PartitionId | Should -Be ($script:StockPartitions | ForEach-Object { [guid]$_ })
        $errs = $null
        $script:UnknownPartition, $script:StockPartitions[0] | Suspend-SfPartitionBackup -ThrottleLimit 2 -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs.Count | Should -Be 1
        $errs[0].TargetObject | Should -Be ([guid]$script:UnknownPartition)
    }

    It 'skips stateless partitions with a warning instead of sending a request' {
        $out = Get-SfPartition -ServiceName fabric:/CalcApp/CalcGateway |
            Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru -WarningVariable warned -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 0
        $warned.Count | Should -Be 1
    }

    It 'Get-SfBackup -PartitionId $p -Latest | Restore-SfPartition -WhatIf sends nothing' {
        Get-SfBackup -PartitionId $script:SeedPartition -Latest | Restore-SfPartition -WhatIf
        (Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition).RestoreState | Should -Be 'Success'
        (Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition).RestoredLsn | Should -Be 261
    }

    It 'restores from the latest backup and reports progress' {
        $backup = Get-SfBackup -PartitionId $script:SeedPartition -Latest
        $backup | Restore-SfPartition -Confirm:$false -PassThru | Select-Object -ExpandProperty Operation | Should -Be 'RestorePartition'
        (Get-SfPartitionRestoreProgress -PartitionId $script:SeedPartition).RestoreState | Should -BeIn 'Accepted', 'RestoreInProgress'
    }

    It 'suspends and resumes at application level, and shows it in the configuration' {
        Suspend-SfApplicationBackup -ApplicationName fabric:/CalcApp
        (Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp -First 1).IsSuspended | Should -BeTrue
        Resume-SfApplicationBackup -ApplicationName CalcApp
        (Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp -First 1).IsSuspended | Should -BeFalse
    }

    It 'a -PassThru result of any level pipes into the entity queries' {
        (Resume-SfServiceBackup -ServiceName fabric:/CalcApp/CalcService -PassThru | Get-SfBackupConfiguration -First 1).Kind | Should -Be 'Service'
        (Resume-SfPartitionBackup -PartitionId $script:SeedPartition -PassThru | Get-SfBackup).Count | Should -Be 3
    }

    It 'Disable -CleanBackup does not prompt with -Force and deletes the backups' {
        Disable-SfApplicationBackup -ApplicationName fabric:/CalcApp -CleanBackup -Force
        Get-SfBackup -PartitionId $script:SeedPartition | Should -BeNullOrEmpty
    }

    It 'lists backups in a storage location' {
        $key = ConvertTo-SecureString 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y' -AsPlainText -Force
        $storage = New-SfBackupStorage -ConnectionString $key -ContainerName BackupContainer
        (Get-SfBackup -Storage $storage).Count | Should -Be 3
        (Get-SfBackup -Storage $storage -PartitionId $script:SeedPartition -Latest).Count | Should -Be 1
    }

    It 'Start-SfPartitionBackup -Wait outputs the finished backup and Restore-SfPartition -Wait the finished restore' {
        $done = Start-SfPartitionBackup -PartitionId $script:StockPartitions[2] -Storage (New-SfBackupStorage -Path '\\nas\b') -Wait
        $done.BackupState | Should -Be 'Success'
        # The partition has no policy: the restore names the storage the backup went to (FIDELITY.md F43).
        $restored = Get-SfBackup -PartitionId $script:StockPartitions[2] -Latest | Restore-SfPartition -Storage (New-SfBackupStorage -Path '\\nas\b') -Confirm:$false -Wait
        $restored.RestoreState | Should -Be 'Success'
        $restored.RestoredLsn | Should -Be $done.LsnOfLastBackupRecord
    }

    It 'Start-SfPartitionBackup then Get-SfPartitionBackupProgress' {
        Start-SfPartitionBackup -PartitionId $script:StockPartitions[0] -Storage (New-SfBackupStorage -Path '\\nas\b') -PassThru |
            Get-SfPartitionBackupProgress | Select-Object -ExpandProperty BackupState | Should -BeIn 'Accepted', 'BackupInProgress', 'Success'
    }
}
