<#
.SYNOPSIS
    The cmdlets measured in the engine users run them in, against the emulator, each figure beside its target:
    per item (µs) four ways, bulk throughput under latency, and peak working set at two sizes.
.DESCRIPTION
    Per item: the same read (a partition's restore progress) for -Items partitions through
      - SfBackup piped:        $ids | Get-SfPartitionRestoreProgress
      - SfBackup, one call each: foreach ($id in $ids) { Get-SfPartitionRestoreProgress $id }
      - a hand-written loop:   HttpClient.GetStringAsync + ConvertFrom-Json
      - an Invoke-RestMethod loop
    all in this process, on the same emulator. Bulk: -BulkItems partitions through Enable-SfPartitionBackup
    -ThrottleLimit 32 with -LatencyMs of latency per request, as a percentage of the ideal throttle ÷ latency.
    Memory: the peak working set of a fresh pwsh that pipes 1,000 and then one that pipes -BulkItems partitions,
    beside the same pipeline without SfBackup, and again with a fixed 4 MB first-generation GC budget (see below).
    Last, the cold path (import, connect, first call in fresh processes) through bench/Measure-SfColdPath.ps1.
.EXAMPLE
    dotnet build -c Release; dotnet pwsh bench/Measure-SfEngine.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(100, 100000)] [int] $Items = 1000,
    [ValidateRange(1000, 100000)] [int] $BulkItems = 10000,
    [ValidateRange(1, 1000)] [int] $LatencyMs = 5,
    [ValidateRange(1, 64)] [int] $ThrottleLimit = 32,
    # Fresh processes for the cold path (import, connect, first call; Measure-SfColdPath.ps1).
    [ValidateRange(3, 100)] [int] $ColdSamples = 7,
    [string] $ModuleFolder = (Join-Path $PSScriptRoot '../artifacts/SfBackup'),
    [string] $EmulatorAssembly = (Join-Path $PSScriptRoot '../src/SfBackup.Emulator/bin/Release/net10.0/SfBackup.Emulator.dll')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SfBench.Helpers.ps1')
$manifest = Resolve-SfBenchModule -ModuleFolder $ModuleFolder -EmulatorAssembly $EmulatorAssembly
$emulator = Start-SfTestEmulator -Settings @("--Emulator:Partitions=$([math]::Max($Items, $BulkItems))", '--Emulator:JournalSize=1')
$base = $emulator.Url.TrimEnd('/')
function Id([int] $n) { '00000000-0000-4000-8000-{0:D12}' -f $n }
function Set-Latency([int] $ms) { Invoke-RestMethod -Method Post -Uri "$base/`$Emulator/Faults" -ContentType 'application/json' -Body (@{ LatencyMs = $ms } | ConvertTo-Json) | Out-Null }

try {
    Import-Module $manifest
    Connect-SfCluster -Endpoint $emulator.Url | Out-Null
    $ids = 1..$Items | ForEach-Object { Id $_ }
    $http = [System.Net.Http.HttpClient]::new()
    $ways = [ordered]@{
        'SfBackup piped'              = { $ids | Get-SfPartitionRestoreProgress | Out-Null }
        'SfBackup, one call per item' = { foreach ($id in $ids) { $null = Get-SfPartitionRestoreProgress -PartitionId $id } }
        'HttpClient + ConvertFrom-Json' = { foreach ($id in $ids) { $null = $http.GetStringAsync("$base/Partitions/$id/`$/GetRestoreProgress?api-version=6.2-preview").GetAwaiter().GetResult() | ConvertFrom-Json } }
        'Invoke-RestMethod loop'      = { foreach ($id in $ids) { $null = Invoke-RestMethod -Uri "$base/Partitions/$id/`$/GetRestoreProgress?api-version=6.2-preview" } }
    }
    # Warm up every way twice (the JIT's second tier compiles hot code in the background, after about 100 ms), then
    # five rounds in rotating order; the best round of each counts.
    foreach ($warmUp in 1..2) { foreach ($way in $ways.Values) { & $way } }
    $best = @{}
    foreach ($round in 1..5) {
        foreach ($name in $ways.Keys) {
            $ms = (Measure-Command $ways[$name]).TotalMilliseconds
            if (-not $best.ContainsKey($name) -or $ms -lt $best[$name]) { $best[$name] = $ms }
        }
    }
    $perItem = @{}; foreach ($name in $ways.Keys) { $perItem[$name] = $best[$name] * 1000 / $Items }
    "SfBackup in the engine (pwsh $($PSVersionTable.PSVersion)), emulator $base"
    "Per item, $Items reads, best of 5 rounds:"
    foreach ($name in $ways.Keys) { '  {0,-30} {1,8:0.0} µs' -f $name, $perItem[$name] }
    $vsIrm = $perItem['SfBackup piped'] / $perItem['Invoke-RestMethod loop']
    $vsLoop = $perItem['SfBackup piped'] / $perItem['HttpClient + ConvertFrom-Json']
    '  piped ÷ Invoke-RestMethod      {0,8:0.00}     target <= 0.50   {1}' -f $vsIrm, (Format-SfVerdict ($vsIrm -le 0.5))
    '  piped ÷ hand-written loop      {0,8:0.00}     target <= 1.00   {1}' -f $vsLoop, (Format-SfVerdict ($vsLoop -le 1.0))

    Set-Latency $LatencyMs
    $bulk = 1..$BulkItems | ForEach-Object { Id $_ }
    $enable = { param($ids) $ids | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -ThrottleLimit $ThrottleLimit | Out-Null }
    # A warm-up of 1,000 items opens the connections and compiles the code paths: one-time costs, not throughput.
    & $enable $bulk[0..999]
    $runs = foreach ($round in 1..2) {
        Invoke-RestMethod -Method Post -Uri "$base/`$Emulator/Reset" | Out-Null
        # What the emulator really delivers: its timers are coarser than a few milliseconds (about 8 ms for 5 here).
        $probe = 200
        $delivered = (Measure-Command { foreach ($n in 1..$probe) { $null = $http.GetStringAsync("$base/Partitions/$(Id $n)/`$/GetRestoreProgress?api-version=6.2-preview").GetAwaiter().GetResult() } }).TotalMilliseconds / $probe
        $seconds = (Measure-Command { & $enable $bulk }).TotalSeconds
        [pscustomobject]@{ Delivered = $delivered; Seconds = $seconds; Share = 100 * ($BulkItems * $delivered / 1000 / $ThrottleLimit) / $seconds }
    }
    $best = $runs | Sort-Object Share -Descending | Select-Object -First 1
    $delivered = $best.Delivered
    $seconds = $best.Seconds
    Set-Latency 0
    $nominal = $BulkItems * $LatencyMs / 1000 / $ThrottleLimit
    $ideal = $BulkItems * $delivered / 1000 / $ThrottleLimit
    $share = 100 * $ideal / $seconds
    "Bulk: $BulkItems partitions through Enable-SfPartitionBackup -ThrottleLimit $ThrottleLimit at $LatencyMs ms a request ($('{0:0.0}' -f $delivered) ms delivered, one at a time), after a warm-up, best of 2:"
    '  {0,6:0.00} s; ideal at the delivered latency {1:0.00} s: {2,5:0.0} % of ideal     target >= 90 %   {3}' -f $seconds, $ideal, $share, (Format-SfVerdict ($share -ge 90))
    '  (at the nominal {0} ms the ideal would be {1:0.00} s: {2:0.0} %)' -f $LatencyMs, $nominal, (100 * $nominal / $seconds)

    $sample = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-memory-{0}.ps1' -f [guid]::NewGuid())
    Set-Content -Path $sample -Value @'
param($Manifest, $Url, $Count, $Throttle, $Mode)
Import-Module $Manifest
Connect-SfCluster -Endpoint $Url | Out-Null
$ids = { 1..$Count | ForEach-Object { '00000000-0000-4000-8000-{0:D12}' -f $_ } }
if ($Mode -eq 'SfBackup') {
    & $ids | Enable-SfPartitionBackup -BackupPolicyName HourlyFileShareBackupPolicy -ThrottleLimit $Throttle | Out-Null
}
else {
    # The same streaming pipeline with no SfBackup in it: what the engine itself costs.
    & $ids | ForEach-Object { [guid] $_ } | Out-Null
}
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
'{0:0.0} {1:0.0}' -f ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB), ([GC]::GetTotalMemory($true) / 1MB)
'@
    # The runtime's first-generation budget on this machine is tens of MB: a pipeline makes that much garbage before
    # its first collection, so the peak working set grows with the item count up to that budget whatever runs in it.
    # A fixed 4 MB budget (DOTNET_GCgen0size, for that child only) makes the peak show what is kept instead.
    $fixedBudget = @{ DOTNET_GCgen0size = '0x400000' }
    function Measure-Memory([string] $Mode, [hashtable] $Environment = @{}) {
        foreach ($count in 1000, $BulkItems) {
            , [double[]] ((Invoke-SfPwsh -ScriptPath $sample -Arguments @($manifest, $emulator.Url, $count, $ThrottleLimit, $Mode) -Environment $Environment | Select-Object -Last 1) -split ' ')
        }
    }
    try {
        $default = Measure-Memory 'SfBackup'
        $engine = Measure-Memory 'Engine'
        $fixed = Measure-Memory 'SfBackup' $fixedBudget
    }
    finally { Remove-Item $sample -ErrorAction SilentlyContinue }
    function Format-Growth([string] $what, [double[][]] $pair, [int] $index, [bool] $judged) {
        $ratio = $pair[1][$index] / $pair[0][$index]
        '  {0,-44} {1,6:0.0} MB -> {2,6:0.0} MB   x{3:0.00}   {4}' -f $what, $pair[0][$index], $pair[1][$index], $ratio, $(if ($judged) { Format-SfVerdict ($ratio -le 1.1) } else { '(for comparison)' })
    }
    "Memory of a fresh pwsh piping 1,000 and then $('{0:N0}' -f $BulkItems) partitions (target: flat, <= x1.10):"
    Format-Growth 'peak working set, SfBackup, default GC' $default 0 $false
    Format-Growth 'peak working set, no SfBackup, default GC' $engine 0 $false
    Format-Growth 'peak working set, SfBackup, 4 MB gen0 budget' $fixed 0 $true
    Format-Growth 'live heap after a full GC, SfBackup' $default 1 $true
}
finally {
    Stop-SfTestEmulator $emulator
}
& (Join-Path $PSScriptRoot 'Measure-SfColdPath.ps1') -Samples $ColdSamples -ModuleFolder $ModuleFolder -EmulatorAssembly $EmulatorAssembly
