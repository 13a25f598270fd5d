# What the bench scripts share: the module and emulator under measurement, and how a figure meets its target.
. (Join-Path $PSScriptRoot '../tests/Pester/SfBackup.TestHelpers.ps1')

# The built module's manifest, with the emulator the helpers start (Start-SfTestEmulator) set to the given build.
function Resolve-SfBenchModule {
    param([string] $ModuleFolder, [string] $EmulatorAssembly)
    $env:SFBACKUP_EMULATOR = (Resolve-Path $EmulatorAssembly).Path
    (Resolve-Path (Join-Path $ModuleFolder 'SfBackup.psd1')).Path
}

function Format-SfVerdict([bool] $Met) { if ($Met) { 'met' } else { 'NOT met' } }
