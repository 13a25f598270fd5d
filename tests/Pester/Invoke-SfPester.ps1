<#
.SYNOPSIS
    Runs the Pester suite against a built SfBackup module folder. Used by `dotnet test` (PesterSuiteTests) and by
    build.ps1 Test. Exit codes: 0 passed, 1 failed or nothing ran, 3 Pester could not be imported.
.PARAMETER PesterModule
    Pester.psd1 to import by path: the tools/ folder of the Pester NuGet package that `dotnet restore` downloads.
.PARAMETER SummaryPath
    Where to write one line "passed failed skipped total" for .ci/run.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $EmulatorAssembly,
    [Parameter(Mandatory)] [string] $PesterModule,
    [string] $SummaryPath,
    # Where NuGet keeps packages: the conflict tests load other versions of the module's dependencies from there.
    [string] $NuGetPackageRoot = (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'),
    [string[]] $Path = @($PSScriptRoot)
)

$ErrorActionPreference = 'Stop'
try {
    Import-Module $PesterModule -Force -ErrorAction Stop
}
catch {
    Write-Host "Pester could not be imported from ${PesterModule}: $($_.Exception.Message)"
    exit 3
}

$env:SFBACKUP_MODULE_FOLDER = (Resolve-Path $ModuleFolder).Path
$env:SFBACKUP_EMULATOR = (Resolve-Path $EmulatorAssembly).Path
$env:SFBACKUP_NUGET_PACKAGES = $NuGetPackageRoot

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
if ($SummaryPath) {
    '{0} {1} {2} {3}' -f $result.PassedCount, $result.FailedCount, $result.SkippedCount, $result.TotalCount |
        Set-Content -Path $SummaryPath -Encoding ascii
}
if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) { exit 1 }
exit 0
