<#
.SYNOPSIS
    Runs the Pester suite against a built SfBackup module folder. Used by `dotnet test` (PesterSuiteTests) and by
    build.ps1 Test. Exit codes: 0 passed, 1 failed, 3 Pester 5 is not installed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $EmulatorAssembly
)

$ErrorActionPreference = 'Stop'
$pester = Get-Module -ListAvailable -Name Pester |
    Where-Object { $_.Version -ge [version]'5.0' } |
    Sort-Object Version -Descending |
    Select-Object -First 1
if (-not $pester) {
    Write-Host 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0): the suite was not run.'
    exit 3
}
Import-Module $pester -Force

$env:SFBACKUP_MODULE_FOLDER = (Resolve-Path $ModuleFolder).Path
$env:SFBACKUP_EMULATOR = (Resolve-Path $EmulatorAssembly).Path

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
