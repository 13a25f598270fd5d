<#
.SYNOPSIS
    SfBackup side by side with another Service Fabric module given by path, in this same pwsh, printing SfBackup ÷
    baseline for each figure of issue 21, then the bulk scenario as a user times it.
.DESCRIPTION
    Each round runs one fresh pwsh per module (the order alternates between rounds), which imports the module by
    path, connects, makes a first call, then pipes -Count partition objects into Resume-*PartitionBackup and makes
    the same calls one command per item (after a warm-up of a tenth as many), all against the bench gateway
    (SfBackup.Bench gateway: plain HTTP/1.1, answers at once). Medians over the rounds are printed beside each other.

    The baseline's commands are picked by its manifest's name:
      Microsoft.ServiceFabric.Powershell.Http   Connect-SFCluster -ConnectionEndpoint, Get-SFPartitionRestoreProgress,
                                                Resume-SFPartitionBackup (which writes "Success!" to the console for
                                                each item: part of its cost, as its users see it)
      SfBackup                                  an earlier SfBackup build, as a regression check
    Microsoft's module is on the PowerShell Gallery only (Save-PSResource Microsoft.ServiceFabric.Powershell.Http
    -Path <folder> where the gallery is reachable); the machine this bench was written on reaches no gallery.

    Bulk: -BulkItems objects made beforehand, then Measure-Command { $objs | Resume-SfPartitionBackup -ThrottleLimit
    32 } in a fresh pwsh per round, against a bench gateway that answers each request after -LatencyMs, beside the
    ideal (items × latency ÷ 32) and beside a raw HttpClient doing the same requests, that many at once, against the
    same gateway in the same minutes (SfBackup.Bench bulk-raw): what this machine allows any client. On Linux it also
    prints the pipeline thread's own CPU time per item during the bulk run (binding, ShouldProcess, queueing, the
    synchronous part of each send, waiting for a free slot). The same command then runs once more in the same pwsh:
    the first run is what a new session sees, and it pays for compiling and tiering the code of 32 requests at once
    (the raw client has a warm-up of a fifth as many requests before its timed run); the second is what a runbook's
    later bulk commands see.
.EXAMPLE
    dotnet build -c Release; dotnet pwsh bench/Compare-SfModule.ps1 -BaselineModule ~/modules/Microsoft.ServiceFabric.Powershell.Http
.EXAMPLE
    dotnet pwsh bench/Compare-SfModule.ps1 -BaselineModule /tmp/sfbackup-previous/SfBackup -Rounds 5
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $BaselineModule,
    [ValidateRange(100, 100000)] [int] $Count = 2000,
    [ValidateRange(1, 20)] [int] $Rounds = 3,
    [ValidateRange(1000, 100000)] [int] $BulkItems = 10000,
    [ValidateRange(1, 1000)] [int] $LatencyMs = 5,
    [ValidateRange(1, 64)] [int] $ThrottleLimit = 32,
    [string] $ModuleFolder = (Join-Path $PSScriptRoot '../artifacts/SfBackup'),
    [string] $BenchAssembly = (Join-Path $PSScriptRoot 'SfBackup.Bench/bin/Release/net10.0/SfBackup.Bench.dll')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SfBench.Helpers.ps1')

function Resolve-Manifest([string] $Path) {
    $item = Get-Item -LiteralPath $Path
    if ($item.PSIsContainer) { $item = Get-ChildItem -LiteralPath $item.FullName -Filter *.psd1 | Select-Object -First 1 }
    if (-not $item) { throw "No module manifest (.psd1) at $Path." }
    $item.FullName
}

# What each module's users type: connect, a first read, piped and one-by-one state changes, and the bulk run.
$profiles = @{
    'SfBackup'                                = @{
        Connect  = 'Connect-SfCluster -Endpoint $Url | Out-Null'
        First    = '$null = Get-SfPartitionRestoreProgress -PartitionId $Id'
        Piped    = { param($o) $o | Resume-SfPartitionBackup }
        Separate = { param($o) foreach ($item in $o) { Resume-SfPartitionBackup -PartitionId $item.PartitionId } }
        Bulk     = { param($o, $t) $o | Resume-SfPartitionBackup -ThrottleLimit $t }
    }
    'Microsoft.ServiceFabric.Powershell.Http' = @{
        Connect  = 'Connect-SFCluster -ConnectionEndpoint $Url | Out-Null'
        First    = '$null = Get-SFPartitionRestoreProgress -PartitionId $Id'
        Piped    = { param($o) $o | Resume-SFPartitionBackup | Out-Null }
        Separate = { param($o) foreach ($item in $o) { Resume-SFPartitionBackup -PartitionId $item.PartitionId | Out-Null } }
        Bulk     = $null
    }
}

$ours = Resolve-Manifest $ModuleFolder
$theirs = Resolve-Manifest $BaselineModule
$theirName = [IO.Path]::GetFileNameWithoutExtension($theirs)
if (-not $profiles.ContainsKey($theirName)) { throw "No command profile for a module named $theirName; known: $($profiles.Keys -join ', ')." }
if (-not (Test-Path $BenchAssembly)) { throw "No bench gateway at ${BenchAssembly}: run dotnet build -c Release first." }

# One sample: a fresh pwsh that imports, connects, calls once, then times the per-item ways (and the bulk run).
function New-SampleScript([hashtable] $Commands) {
    $path = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-compare-{0}.ps1' -f [guid]::NewGuid())
    $bulk = if ($Commands.Bulk) { "`$bulk = { $($Commands.Bulk) }" } else { '$bulk = $null' }
    Set-Content -Path $path -Value @"
param(`$Manifest, `$Url, `$BulkUrl, [int] `$Count, [int] `$BulkItems, [int] `$Throttle)
`$Id = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
`$piped = { $($Commands.Piped) }
`$separate = { $($Commands.Separate) }
$bulk
function New-Objects([int] `$n) { 1..`$n | ForEach-Object { [pscustomobject]@{ PartitionId = '00000000-0000-4000-8000-{0:D12}' -f `$_ } } }
# CPU time of the calling (pipeline) thread in ms, on Linux (/proc/thread-self/stat, 100 ticks a second); -1 elsewhere.
function Get-ThreadCpu { if (-not (Test-Path /proc/thread-self/stat)) { return -1 }; `$f = (Get-Content /proc/thread-self/stat) -replace '^.*\) ', '' -split ' '; ([double]`$f[11] + [double]`$f[12]) * 10 }
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module `$Manifest
`$import = `$clock.Elapsed.TotalMilliseconds; `$clock.Restart()
$($Commands.Connect)
`$connect = `$clock.Elapsed.TotalMilliseconds; `$clock.Restart()
$($Commands.First)
`$first = `$clock.Elapsed.TotalMilliseconds
`$warm = New-Objects ([math]::Max(10, [int](`$Count / 10)))
& `$piped `$warm; & `$separate `$warm
`$objs = New-Objects `$Count
`$pipedUs = (Measure-Command { & `$piped `$objs }).TotalMilliseconds * 1000 / `$Count
`$separateUs = (Measure-Command { & `$separate `$objs }).TotalMilliseconds * 1000 / `$Count
`$bulkMs = -1; `$threadUs = -1; `$againMs = -1
if (`$bulk) {
    `$many = New-Objects `$BulkItems
    `$Url = `$BulkUrl
    $($Commands.Connect)
    `$cpu = Get-ThreadCpu
    `$bulkMs = (Measure-Command { & `$bulk `$many `$Throttle }).TotalMilliseconds
    if (`$cpu -ge 0) { `$threadUs = ((Get-ThreadCpu) - `$cpu) * 1000 / `$BulkItems }
    `$againMs = (Measure-Command { & `$bulk `$many `$Throttle }).TotalMilliseconds
}
'{0:0.00} {1:0.00} {2:0.00} {3:0.0} {4:0.0} {5:0} {6:0} {7:0}' -f `$import, `$connect, `$first, `$pipedUs, `$separateUs, `$bulkMs, `$threadUs, `$againMs
"@
    $path
}

function Start-Gateway([int] $Latency) { Start-SfListeningProcess 'The bench gateway' @("`"$BenchAssembly`"", 'gateway', $Latency) }

$fast = Start-Gateway 0
$slow = Start-Gateway $LatencyMs
$samples = @{ SfBackup = New-SampleScript $profiles['SfBackup']; Baseline = New-SampleScript $profiles[$theirName] }
$manifests = @{ SfBackup = $ours; Baseline = $theirs }
try {
    $rows = foreach ($round in 1..$Rounds) {
        $order = if ($round % 2) { 'SfBackup', 'Baseline' } else { 'Baseline', 'SfBackup' }
        foreach ($side in $order) {
            $line = Invoke-SfPwsh -ScriptPath $samples[$side] -Arguments @($manifests[$side], $fast.Url, $slow.Url, $Count, $BulkItems, $ThrottleLimit) | Select-Object -Last 1
            $v = [double[]]($line -split ' ')
            if ($v.Count -ne 8) { throw "A $side sample printed '$line' instead of its eight figures." }
            [pscustomobject]@{ Side = $side; Import = $v[0]; Connect = $v[1]; First = $v[2]; Piped = $v[3]; Separate = $v[4]; Bulk = $v[5]; ThreadUs = $v[6]; Again = $v[7] }
        }
        $raw = -split (& dotnet $BenchAssembly bulk-raw $slow.Url $BulkItems $ThrottleLimit | Select-Object -Last 1)
        [pscustomobject]@{ Side = 'Raw'; Bulk = [double]$raw[0]; CpuUs = [double]$raw[1]; Delivered = [double]$raw[2] }
    }
}
finally {
    foreach ($gateway in $fast, $slow) { Stop-SfTestEmulator $gateway }
    foreach ($path in $samples.Values) { Remove-Item $path -ErrorAction SilentlyContinue }
}

function Get-Figure([string] $side, [string] $name) { Get-Median @($rows | Where-Object Side -eq $side | ForEach-Object $name) }
$engine = if (Test-Precompiled (Join-Path $PSHOME 'System.Management.Automation.dll')) { 'precompiled' } else { 'IL only, as the .NET tool ships it' }
"SfBackup ($ours) beside $theirName ($theirs)"
"pwsh $($PSVersionTable.PSVersion) ($engine), $Rounds rounds of fresh processes, interleaved; medians; per item over $Count items"
'  {0,-40} {1,10} {2,10} {3,8}' -f 'figure', 'SfBackup', 'baseline', 'ratio'
$lines = @(
    @('Import-Module (ms)', 'Import'), @('connect (ms)', 'Connect'), @('first call after connect (ms)', 'First'),
    @('piped Resume, per item (µs)', 'Piped'), @('one Resume command per item (µs)', 'Separate'))
foreach ($line in $lines) {
    $a = Get-Figure 'SfBackup' $line[1]; $b = Get-Figure 'Baseline' $line[1]
    '  {0,-40} {1,10:0.0} {2,10:0.0} {3,8:0.00}' -f $line[0], $a, $b, ($a / $b)
}
$a = (Get-Figure 'SfBackup' 'Import') + (Get-Figure 'SfBackup' 'Connect') + (Get-Figure 'SfBackup' 'First')
$b = (Get-Figure 'Baseline' 'Import') + (Get-Figure 'Baseline' 'Connect') + (Get-Figure 'Baseline' 'First')
'  {0,-40} {1,10:0.0} {2,10:0.0} {3,8:0.00}' -f 'import + connect + first call (ms)', $a, $b, ($a / $b)
$first = Get-Figure 'SfBackup' 'First'
'  first call after connect: {0:0.0} ms, target < 15 ms: {1}' -f $first, (Format-SfVerdict ($first -lt 15))

$ideal = $BulkItems * $LatencyMs / $ThrottleLimit
$delivered = Get-Figure 'Raw' 'Delivered'
$idealDelivered = $BulkItems * $delivered / $ThrottleLimit
$bulk = Get-Figure 'SfBackup' 'Bulk'
$raw = Get-Figure 'Raw' 'Bulk'
"Bulk: `$objs | Resume-SfPartitionBackup -ThrottleLimit $ThrottleLimit over $BulkItems objects made beforehand, a gateway answering in $LatencyMs ms ($('{0:0.00}' -f $delivered) ms delivered one at a time, answer included), median of $Rounds"
'  {0,-42} {1,6:0} ms  {2,5:0.0} % of the ideal {3:0} ms (target >= 90 %: {4}); {5,5:0.0} % of {6:0} ms at the delivered latency' -f 'SfBackup, as Measure-Command times it', $bulk, (100 * $ideal / $bulk), $ideal, (Format-SfVerdict ($ideal / $bulk -ge 0.9)), (100 * $idealDelivered / $bulk), $idealDelivered
$again = Get-Figure 'SfBackup' 'Again'
'  {0,-42} {1,6:0} ms  {2,5:0.0} % of the ideal; {3,5:0.0} % at the delivered latency (the code compiled and tiered by the first run, as the raw client is by its warm-up)' -f 'SfBackup, the same command again', $again, (100 * $ideal / $again), (100 * $idealDelivered / $again)
$threadUs = Get-Figure 'SfBackup' 'ThreadUs'
if ($threadUs -ge 0) {
    '  {0,-42} {1,6:0} µs an item (target <= 60 µs: {2}; its CPU time, spinning waits included, 10 ms ticks)' -f 'SfBackup pipeline thread', $threadUs, (Format-SfVerdict ($threadUs -le 60))
}
$theirBulk = Get-Figure 'Baseline' 'Bulk'
if ($theirBulk -gt 0) {
    '  {0,-42} {1,6:0} ms  {2,5:0.0} % of the ideal; {3,5:0.0} % at the delivered latency' -f 'baseline, the same way', $theirBulk, (100 * $ideal / $theirBulk), (100 * $idealDelivered / $theirBulk)
}
'  {0,-42} {1,6:0} ms  {2,5:0.0} % of the ideal, {3,5:0.0} % at the delivered latency ({4:0} µs of CPU a request): what this machine allows' -f 'raw HttpClient, same requests and gateway', $raw, (100 * $ideal / $raw), (100 * $idealDelivered / $raw), (Get-Figure 'Raw' 'CpuUs')
'  {0,-42} {1,6:0.00}' -f 'SfBackup ÷ raw HttpClient', ($bulk / $raw)
