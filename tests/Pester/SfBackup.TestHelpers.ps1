# Helpers the Pester suite dot-sources: start and reset the emulator, import the built module.

function Import-SfBackupUnderTest {
    $manifest = Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1'
    if (-not (Test-Path $manifest)) { throw "No built module at ${manifest}: run dotnet build first." }
    Import-Module $manifest -Force -ErrorAction Stop
}

function Start-SfTestEmulator {
    param([string[]] $Settings = @('--Emulator:AcceptedSeconds=1', '--Emulator:BackupSeconds=2'))

    $log = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-emulator-{0}.log' -f [guid]::NewGuid())
    $dotnet = (Get-Command dotnet -ErrorAction Stop).Source
    $arguments = @("`"$env:SFBACKUP_EMULATOR`"", '--urls', 'http://127.0.0.1:0') + $Settings
    $process = Start-Process -FilePath $dotnet -ArgumentList $arguments -RedirectStandardOutput $log -PassThru -NoNewWindow
    $deadline = (Get-Date).AddSeconds(30)
    while ((Get-Date) -lt $deadline) {
        if ($process.HasExited) { throw "The emulator exited early: $(Get-Content $log -Raw)" }
        foreach ($line in @(Get-Content $log -ErrorAction SilentlyContinue)) {
            if ($line -match 'listening on (http://\S+)') {
                return [pscustomobject]@{ Process = $process; Url = $Matches[1]; Log = $log }
            }
        }
        Start-Sleep -Milliseconds 100
    }
    Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    throw 'The emulator did not start within 30 seconds.'
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

# A fenced powershell block of the README, found by a line it contains, as a script block to run as written.
function Get-SfReadmeExample {
    param([string] $Marker)
    $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
    $blocks = [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
    $found = @($blocks | Where-Object { $_.Contains($Marker) })
    if ($found.Count -ne 1) { throw "Expected one README example containing '$Marker', found $($found.Count)." }
    [scriptblock]::Create($found[0])
}
