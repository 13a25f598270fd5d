# What the bench scripts share: the module and emulator under measurement, and how a figure meets its target.
. (Join-Path $PSScriptRoot '../tests/Pester/SfBackup.TestHelpers.ps1')

# The built module's manifest, with the emulator the helpers start (Start-SfTestEmulator) set to the given build.
function Resolve-SfBenchModule {
    param([string] $ModuleFolder, [string] $EmulatorAssembly)
    $env:SFBACKUP_EMULATOR = (Resolve-Path $EmulatorAssembly).Path
    (Resolve-Path (Join-Path $ModuleFolder 'SfBackup.psd1')).Path
}

function Format-SfVerdict([bool] $Met) { if ($Met) { 'met' } else { 'NOT met' } }

function Get-Median([double[]] $values) { ($values | Sort-Object)[[int][math]::Floor($values.Count / 2)] }

# Whether an assembly holds precompiled (ReadyToRun) code: PowerShell's released packages do, the .NET tool does not.
function Test-Precompiled([string] $path) {
    $reader = [Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($path))
    try { $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
    finally { $reader.Dispose() }
}
