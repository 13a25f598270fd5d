#Requires -Version 7.4
# The module's dependencies are its own (issue 8): the client runs in a private load context, and other versions of
# Microsoft.Extensions.Http, its DI abstractions and System.Text.Json loaded by another module, before or after,
# neither break SfBackup nor get replaced by its versions. Each order runs in a fresh pwsh (tests/Pester/Conflict.ps1).
# On PowerShell 7 those dependencies come from the module's precompiled set for the runtime when it has one.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Emulator = Start-SfTestEmulator
    $script:Manifest = Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1'
}

AfterAll {
    Stop-SfTestEmulator $script:Emulator
}

Describe 'Dependency isolation in a real session' {
    BeforeEach { Reset-SfTestEmulator $script:Emulator }

    It 'every cmdlet family works <Order>, and the other module keeps its own versions' -ForEach @(
        @{ Order = 'OthersFirst' }
        @{ Order = 'SfBackupFirst' }
    ) {
        $lines = Invoke-SfPwsh -ScriptPath (Join-Path $PSScriptRoot 'Conflict.ps1') -Arguments @(
            '-Order', $Order, '-Manifest', $script:Manifest, '-Url', $script:Emulator.Url, '-Packages', $env:SFBACKUP_NUGET_PACKAGES)

        $lines | Should -Contain 'other: Microsoft.Extensions.Http 7.0.0.0'
        $lines | Should -Contain 'other: Microsoft.Extensions.DependencyInjection.Abstractions 7.0.0.0'
        $lines | Should -Contain 'other works: HttpClientFactoryOptions 7.0.0.0 lifetime 00:02:00'
        $lines | Should -Contain 'policies: 3'
        foreach ($operation in 'EnablePartitionBackup', 'SuspendPartitionBackup', 'ResumePartitionBackup', 'SuspendApplicationBackup', 'BackupPartition') {
            $lines | Should -Contain "action: $operation"
        }
        $lines | Should -Contain 'configuration: conflict'
        $lines | Should -Contain 'progress: Accepted'
        $lines | Should -Contain 'backup: Incremental'
        $lines | Should -Contain 'partitions: 7'
        $lines | Should -Contain 'client context: SfBackup.Loader.SfLoadContext'
        # SfBackup ran on its own Microsoft.Extensions.Http and Polly, in its own context, beside the other module's 7.0.
        $lines | Should -Contain 'sfbackup uses: Microsoft.Extensions.Http 10.0.0.0'
        $lines | Should -Contain 'sfbackup uses: Microsoft.Extensions.DependencyInjection.Abstractions 10.0.0.0'
        ($lines | Where-Object { $_ -like 'sfbackup uses: Polly.Core *' }) | Should -Not -BeNullOrEmpty
    }

    It 'loads the client once, from the precompiled set for this runtime, into the module''s own context' {
        Import-SfBackupUnderTest
        $connection = Connect-SfCluster -Endpoint $script:Emulator.Url -NoDefault
        $client = $connection.GetType().Assembly
        $set = Join-Path $env:SFBACKUP_MODULE_FOLDER "dependencies/$(Get-SfPrecompiledSetName)"
        $client.Location | Should -Be (Join-Path $set 'SfBackup.Client.dll')
        $http = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Http' -and $_.Location -like "$set*" }
        @($http).Count | Should -Be 1
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($client).GetType().FullName | Should -Be 'SfBackup.Loader.SfLoadContext'
        @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SfBackup.Client' }).Count | Should -Be 1
        # The cmdlets themselves stay in the default context, next to PowerShell.
        $cmdlets = (Get-Command Connect-SfCluster).ImplementingType.Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        Disconnect-SfCluster -Session $connection
    }

    It 'a runtime without a precompiled set of its own loads the plain dependencies/ and works' {
        # The built folder with its set relabelled for the previous .NET version: what PowerShell on another runtime or
        # platform sees. That set's images would be ignored by this runtime, so the loader must not take them either.
        $copy = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-plain-' + [guid]::NewGuid().ToString('N'))
        $folder = Join-Path $copy 'SfBackup'
        Copy-Item $env:SFBACKUP_MODULE_FOLDER $folder -Recurse
        Rename-Item (Join-Path $folder "dependencies/$(Get-SfPrecompiledSetName)") (Get-SfPrecompiledSetName -Major ([Environment]::Version.Major - 1))
        $script = Join-Path $copy 'plain.ps1'
        Set-Content -Path $script -Value @'
param($Manifest, $Url)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$connection = Connect-SfCluster -Endpoint $Url
'client: ' + $connection.GetType().Assembly.Location
'policies: ' + @(Get-SfBackupPolicy).Count
'progress: ' + (Get-SfPartitionRestoreProgress -PartitionId 1daae3f5-7fd6-42e9-b1ba-8c05f873994d).RestoreState
'@
        try {
            $lines = Invoke-SfPwsh -ScriptPath $script -Arguments @((Join-Path $folder 'SfBackup.psd1'), $script:Emulator.Url)
        }
        finally {
            Remove-Item $copy -Recurse -Force -ErrorAction SilentlyContinue
        }
        $lines | Should -Contain ('client: ' + (Join-Path $folder 'dependencies/SfBackup.Client.dll'))
        $lines | Should -Contain 'policies: 2'
        $lines | Should -Contain 'progress: Success'
    }

    It 'two connections side by side keep their own HTTP stack' {
        Import-SfBackupUnderTest
        $first = Connect-SfCluster -Endpoint $script:Emulator.Url -NoDefault
        $second = Connect-SfCluster -Endpoint $script:Emulator.Url -NoDefault
        Disconnect-SfCluster -Session $first
        { Get-SfBackupPolicy -Session $first -ErrorAction Stop } | Should -Throw -ErrorId 'SfConnectionClosed,SfBackup.PowerShell.Cmdlets.GetSfBackupPolicyCommand'
        @(Get-SfBackupPolicy -Session $second).Count | Should -Be 2
        Disconnect-SfCluster -Session $second
    }
}
