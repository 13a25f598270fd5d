#Requires -Version 7.4
# Shipped as modules are shipped: publish the built folder to a file repository (the code build.ps1 Package runs),
# install it with Install-PSResource into a private home, import it by name and use it against the emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Emulator = Start-SfTestEmulator
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-package-' + [guid]::NewGuid().ToString('N'))
}

AfterAll {
    Stop-SfTestEmulator $script:Emulator
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Package round trip' {
    It 'the manifest carries what a gallery needs' {
        $manifest = Test-ModuleManifest (Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1')
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'ServiceFabric'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'publishes a nupkg, installs it with Install-PSResource into a private home, imports it by name and runs a cmdlet' {
        $repository = Join-Path $script:Root 'repository'
        $nupkg = & (Join-Path $PSScriptRoot '../../tools/Publish-SfModule.ps1') -ModuleFolder $env:SFBACKUP_MODULE_FOLDER -RepositoryPath $repository
        $version = (Import-PowerShellDataFile (Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1')).ModuleVersion
        $nupkg.Name | Should -Be "SfBackup.$version.nupkg"

        $userHome = Join-Path $script:Root 'home'
        $user = Join-Path $script:Root 'as-a-user.ps1'
        Set-Content -Path $user -Value @'
param($Repository, $Url)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SfBackupLocal -Uri $Repository -Trusted
Install-PSResource -Name SfBackup -Repository SfBackupLocal -Scope CurrentUser
Import-Module SfBackup
$module = Get-Module SfBackup
"base=$($module.ModuleBase)"
"version=$($module.Version)"
Connect-SfCluster -Endpoint $Url | Out-Null
Get-SfBackupPolicy | ForEach-Object { "policy=$($_.Name)" }
'@
        $lines = Invoke-SfPwsh -HomePath $userHome -ScriptPath $user -Arguments @($repository, $script:Emulator.Url)

        ($lines | Where-Object { $_ -like 'base=*' }) | Should -BeLike "base=$userHome*"
        # Everything it registered stayed in that home: no repository store written beside the caller.
        Test-Path (Join-Path $userHome '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue
        Test-Path (Join-Path (Get-Location) 'PSResourceGet') | Should -BeFalse
        $lines | Should -Contain "version=$version"
        $lines | Should -Contain 'policy=DailyAzureBackupPolicy'
        $lines | Should -Contain 'policy=HourlyFileShareBackupPolicy'
        (Get-SfTestJournal $script:Emulator | Where-Object RawTarget -like '/BackupRestore/BackupPolicies*').Count | Should -BeGreaterThan 0
    }
}
