<#
.SYNOPSIS
    One entry point for people with PowerShell: Build, Test, Demo, Package. With only the .NET SDK:
    `dotnet tool restore`, then `dotnet pwsh ./build.ps1 <Task>` (the PowerShell pinned in .config/dotnet-tools.json).
.DESCRIPTION
    Wraps the same dotnet commands the README gives, so nothing here is needed to build or test:
      Build    dotnet build -c Release        -> artifacts/SfBackup (the importable module folder)
      Test     dotnet test                    (xUnit, and the Pester suite since pwsh is here)
      Demo     Build, start the emulator on 127.0.0.1:19080, run demo/Demo.ps1 against it, stop it
      Package  Build with every precompiled set (-p:SfPrecompile=All: .NET 8, 9 and 10 on win-x64 and linux-x64),
               then publish artifacts/SfBackup with Publish-PSResource to the file repository
               artifacts/repository, which holds SfBackup.<version>.nupkg (tools/Publish-SfModule.ps1)
.EXAMPLE
    ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package')]
    [string] $Task = 'Build',
    [string] $EmulatorUrl = 'http://127.0.0.1:19080'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

# A simple function on purpose: $args passes switches such as -c through untouched.
function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# Extra MSBuild properties pass through: Package builds every precompiled set a published module ships.
function Invoke-Build([string[]] $Properties = @()) {
    Invoke-Dotnet build (Join-Path $root 'SfBackup.sln') -c Release @Properties
}

function Invoke-Demo {
    Invoke-Build
    $emulator = Join-Path $root 'src/SfBackup.Emulator/bin/Release/net10.0/SfBackup.Emulator.dll'
    # The emulator is started with an id of its own, and only the emulator that answers with that id is used and
    # reset: another process on the port (an emulator started earlier, anything else) is never touched.
    $instance = [guid]::NewGuid().ToString()
    $process = Start-Process -FilePath (Get-Command dotnet).Source -ArgumentList @("`"$emulator`"", '--urls', $EmulatorUrl, "--Emulator:InstanceId=$instance") -PassThru -NoNewWindow
    try {
        $deadline = (Get-Date).AddSeconds(30)
        while ($true) {
            if ($process.HasExited) {
                throw "The emulator did not start on $EmulatorUrl (exit code $($process.ExitCode)); if the port is in use, pass -EmulatorUrl http://127.0.0.1:<another port>."
            }
            $answer = try { Invoke-RestMethod -Uri "$EmulatorUrl/`$Emulator/Instance" -UseBasicParsing -TimeoutSec 5 } catch { $null }
            if ($null -ne $answer -and $answer.InstanceId -eq $instance) { break }
            if ((Get-Date) -gt $deadline) {
                throw "Another process answers on $EmulatorUrl, not the emulator this build started; it was left as it is. Stop it, or pass -EmulatorUrl http://127.0.0.1:<another port>."
            }
            Start-Sleep -Milliseconds 200
        }
        Invoke-RestMethod -Uri "$EmulatorUrl/`$Emulator/Reset" -Method Post -UseBasicParsing | Out-Null
        & (Join-Path $root 'demo/Demo.ps1') -ModuleFolder (Join-Path $root 'artifacts/SfBackup') -Endpoint $EmulatorUrl
    }
    finally {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Dotnet test (Join-Path $root 'SfBackup.sln') }
    'Demo' { Invoke-Demo }
    'Package' {
        Invoke-Build '-p:SfPrecompile=All'
        $package = & (Join-Path $root 'tools/Publish-SfModule.ps1') -ModuleFolder (Join-Path $root 'artifacts/SfBackup') -RepositoryPath (Join-Path $root 'artifacts/repository')
        Write-Host "Published $($package.FullName)"
    }
}
