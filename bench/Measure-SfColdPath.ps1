<#
.SYNOPSIS
    The cold path, measured: Import-Module SfBackup in a fresh pwsh, then Connect-SfCluster and the first call, against
    the emulator. Each sample is a new process (nothing cached in memory); medians are printed beside the targets.
    Twice: as a user's first import in a new process (which also pays for PowerShell's own module machinery), and
    after a built-in module was imported first, which leaves SfBackup's own share.
    The header says whether the pwsh running it is precompiled (a user's installed PowerShell is; the pinned .NET tool
    is not: bench/New-SfPrecompiledPwsh.ps1 makes a precompiled copy of it), and which dependency set the module
    loads on this runtime.
.EXAMPLE
    dotnet pwsh bench/Measure-SfColdPath.ps1 -Samples 15
.EXAMPLE
    dotnet (dotnet pwsh bench/New-SfPrecompiledPwsh.ps1) bench/Measure-SfColdPath.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 100)] [int] $Samples = 11,
    [string] $ModuleFolder = (Join-Path $PSScriptRoot '../artifacts/SfBackup'),
    [string] $EmulatorAssembly = (Join-Path $PSScriptRoot '../src/SfBackup.Emulator/bin/Release/net10.0/SfBackup.Emulator.dll')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SfBench.Helpers.ps1')
$manifest = Resolve-SfBenchModule -ModuleFolder $ModuleFolder -EmulatorAssembly $EmulatorAssembly
$emulator = Start-SfTestEmulator
$sample = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-cold-{0}.ps1' -f [guid]::NewGuid())
Set-Content -Path $sample -Value @'
param($Manifest, $Url, $WarmUp)
if ($WarmUp -eq 'yes') { Import-Module Microsoft.PowerShell.Utility -Force }
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$import = $clock.Elapsed.TotalMilliseconds
Connect-SfCluster -Endpoint $Url | Out-Null
$null = Get-SfPartitionRestoreProgress -PartitionId 1daae3f5-7fd6-42e9-b1ba-8c05f873994d
'{0:0.0} {1:0.0}' -f $import, $clock.Elapsed.TotalMilliseconds
'@
try {
    $results = foreach ($i in 1..$Samples) {
        foreach ($warmUp in 'no', 'yes') {
            $line = Invoke-SfPwsh -ScriptPath $sample -Arguments @($manifest, $emulator.Url, $warmUp) | Select-Object -Last 1
            $parts = $line -split ' '
            [pscustomobject]@{ WarmUp = $warmUp; Import = [double]$parts[0]; FirstCall = [double]$parts[1] }
        }
    }
}
finally {
    Stop-SfTestEmulator $emulator
    Remove-Item $sample -ErrorAction SilentlyContinue
}
function Format-Figure([string] $what, [double] $ms, [double] $target) {
    '  {0,-46} {1,7:0.0} ms   target <= {2} ms   {3}' -f $what, $ms, $target, (Format-SfVerdict ($ms -le $target))
}
$engine = if (Test-Precompiled (Join-Path $PSHOME 'System.Management.Automation.dll')) { 'precompiled' } else { 'IL only, as the .NET tool ships it' }
$setName = Get-SfPrecompiledSetName
$dependencies = if (Test-Path (Join-Path $ModuleFolder "dependencies/$setName/SfBackup.Client.dll")) { "precompiled set $setName" } else { 'plain dependencies/ (no set for this runtime)' }
"SfBackup cold path, $Samples fresh pwsh processes each way, median ms (pwsh $($PSVersionTable.PSVersion), $engine; module: $dependencies):"
foreach ($way in @(@('no', 'first import in a new process'), @('yes', 'after a built-in module was imported'))) {
    $set = @($results | Where-Object WarmUp -eq $way[0])
    "$($way[1]):"
    Format-Figure 'Import-Module SfBackup' (Get-Median $set.Import) 100
    Format-Figure 'import + Connect-SfCluster + first call' (Get-Median $set.FirstCall) 200
}
