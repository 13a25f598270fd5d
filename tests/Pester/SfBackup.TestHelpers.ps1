# Helpers the Pester suite dot-sources: start and reset the emulator, import the built module.

function Import-SfBackupUnderTest {
    $manifest = Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1'
    if (-not (Test-Path $manifest)) { throw "No built module at ${manifest}: run dotnet build first." }
    Import-Module $manifest -Force -ErrorAction Stop
}

# The name of the module's precompiled dependency set for a .NET major version (default: the one running this pwsh)
# on this platform, as the loader (SfLoadContext) looks for it under dependencies/.
function Get-SfPrecompiledSetName([int] $Major = [Environment]::Version.Major) {
    "net$Major.0-$([System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier)"
}

function Start-SfTestEmulator {
    param([string[]] $Settings = @('--Emulator:AcceptedSeconds=1', '--Emulator:BackupSeconds=2'))

    # Two items a page unless a setting says otherwise (the real service pages only when asked): clients page for real.
    Start-SfListeningProcess 'The emulator' (@("`"$env:SFBACKUP_EMULATOR`"", '--urls', 'http://127.0.0.1:0', '--Emulator:PageSize=2') + $Settings)
}

# A dotnet program that prints "listening on <url>" once it serves (the emulator, the bench gateway): its process,
# that address, and the log of its output. Stop it with Stop-SfTestEmulator.
function Start-SfListeningProcess([string] $What, [string[]] $ArgumentList) {
    $log = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-listener-{0}.log' -f [guid]::NewGuid())
    $dotnet = (Get-Command dotnet -ErrorAction Stop).Source
    $process = Start-Process -FilePath $dotnet -ArgumentList $ArgumentList -RedirectStandardOutput $log -PassThru -NoNewWindow
    $deadline = (Get-Date).AddSeconds(30)
    while ((Get-Date) -lt $deadline) {
        if ($process.HasExited) { throw "$What exited early: $(Get-Content $log -Raw)" }
        foreach ($line in @(Get-Content $log -ErrorAction SilentlyContinue)) {
            if ($line -match 'listening on (http://\S+)') {
                return [pscustomobject]@{ Process = $process; Url = $Matches[1]; Log = $log }
            }
        }
        Start-Sleep -Milliseconds 100
    }
    Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    throw "$What did not start within 30 seconds."
}

# Two emulators on fast timings that share one storage folder: a cluster, and the same cluster rebuilt (the same
# services, new partition ids), as a drill target or a disaster-recovery cluster uses it.
function Start-SfTestEmulatorPair {
    $storage = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-shared-{0}' -f [guid]::NewGuid())
    $fast = @('--Emulator:AcceptedSeconds=0.2', '--Emulator:BackupSeconds=0.3', '--Emulator:RestoreSeconds=0.5', "--Emulator:StorageDirectory=$storage")
    $source = Start-SfTestEmulator -Settings $fast
    [pscustomobject]@{ Storage = $storage; Source = $source; Rebuilt = Start-SfTestEmulator -Settings ($fast + '--Emulator:NewCluster=true') }
}

function Stop-SfTestEmulatorPair {
    param($Pair)
    if (-not $Pair) { return }
    Stop-SfTestEmulator $Pair.Source
    Stop-SfTestEmulator $Pair.Rebuilt
    Remove-Item $Pair.Storage -Recurse -Force -ErrorAction SilentlyContinue
}

function Stop-SfTestEmulator {
    param($Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) { Stop-Process -Id $Emulator.Process.Id -Force }
    if ($Emulator) { Remove-Item $Emulator.Log -ErrorAction SilentlyContinue }
}

function Reset-SfTestEmulator {
    param($Emulator)
    Invoke-RestMethod -Method Post -Uri ($Emulator.Url.TrimEnd('/') + '/$Emulator/Reset') | Out-Null
}

function Get-SfTestJournal {
    param($Emulator)
    # Invoke-RestMethod writes a JSON array as one object; unroll it into one entry per request.
    Invoke-RestMethod -Uri ($Emulator.Url.TrimEnd('/') + '/$Emulator/Journal') | ForEach-Object { $_ }
}

# Empties the emulator's journal (its state stays), so that a test counts only what one command sends.
function Clear-SfTestJournal {
    param($Emulator)
    Invoke-RestMethod -Method Delete -Uri ($Emulator.Url.TrimEnd('/') + '/$Emulator/Journal') | Out-Null
}

# A fenced powershell block of the README, found by a line it contains, as a script block to run as written.
function Get-SfReadmeExample {
    param([string] $Marker)
    $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
    $blocks = [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
    $found = @($blocks | Where-Object { $_.Contains($Marker) })
    if ($found.Count -ne 1) { throw "Expected one README example containing '$Marker', found $($found.Count)." }
    [scriptblock]::Create($found[0])
}

# Runs a script file in a new pwsh (the same engine as this one) and returns its output lines; throws when it fails.
# With -HomePath, its user folders are under that path, so that what it installs or registers goes there and
# nowhere else. -Environment sets more variables for the child only.
function Invoke-SfPwsh {
    param([string] $ScriptPath, [string[]] $Arguments = @(), [string] $HomePath, [hashtable] $Environment = @{})

    $exe = [Environment]::ProcessPath
    # The pwsh .NET tool runs as `dotnet pwsh.dll`.
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $isolated = @{}
    if ($HomePath) {
        $isolated = @{
            HOME            = $HomePath
            XDG_DATA_HOME   = Join-Path $HomePath '.local/share'
            XDG_CONFIG_HOME = Join-Path $HomePath '.config'
            XDG_CACHE_HOME  = Join-Path $HomePath '.cache'
            PSModulePath    = $null   # the child computes its own, from its home
        }
        # .NET reports no LocalApplicationData while the folder does not exist, and PSResourceGet would then write a
        # relative PSResourceGet/ into the working directory: make the folders first.
        foreach ($folder in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $null = New-Item -ItemType Directory -Force -Path $isolated[$folder] }
    }
    foreach ($name in $Environment.Keys) { $isolated[$name] = $Environment[$name] }
    $saved = @{}
    foreach ($name in $isolated.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $isolated[$name])
    }
    try {
        $output = & $exe @prefix -NoLogo -NoProfile -NonInteractive -File $ScriptPath @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh exited with $LASTEXITCODE`n$($output -join "`n")" }
        $output | ForEach-Object { "$_" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
