<#
.SYNOPSIS
    Makes a copy of the running pwsh with its assemblies compiled ahead of time (ReadyToRun), as PowerShell's released
    packages ship them, for the cold-path benchmark.
.DESCRIPTION
    The pwsh pinned in .config/dotnet-tools.json comes as a .NET tool, and .NET tools ship IL only: in it PowerShell
    compiles its own engine on every start, which a user's installed PowerShell (MSI, zip, deb, rpm, pkg: all
    ReadyToRun) does not. This copy lets the cold path be measured both ways. It uses the crossgen2 that the module's
    build restored for its precompiled set (tools/SfBackup.Precompile), so run `dotnet build -c Release` first.
    Microsoft.CodeAnalysis* (used by Add-Type only) stay IL. Outputs the copy's pwsh.dll; run it with `dotnet`.
.EXAMPLE
    $pwsh = dotnet pwsh bench/New-SfPrecompiledPwsh.ps1
    dotnet $pwsh bench/Measure-SfColdPath.ps1
#>
[CmdletBinding()]
param(
    [string] $Destination = (Join-Path $PSScriptRoot '../artifacts/bench/pwsh-precompiled'),
    [string] $NuGetPackageRoot = (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
)
$ErrorActionPreference = 'Stop'

$major = [Environment]::Version.Major
$platform = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
$crossgen = Get-ChildItem (Join-Path $NuGetPackageRoot "microsoft.netcore.app.crossgen2.$platform") -Directory -ErrorAction SilentlyContinue |
    Where-Object { ([version]$_.Name).Major -eq $major } | Sort-Object { [version]$_.Name } | Select-Object -Last 1
if (-not $crossgen) { throw "No crossgen2 for .NET $major on $platform under ${NuGetPackageRoot}: run dotnet build -c Release first." }
$compiler = Join-Path $crossgen.FullName ('tools/crossgen2' + $(if ($IsWindows) { '.exe' } else { '' }))
$framework = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
$os, $arch = $platform -split '-', 2
if ($os -eq 'win') { $os = 'windows' }

if (Test-Path $Destination) { Remove-Item $Destination -Recurse -Force }
$null = New-Item -ItemType Directory -Path $Destination
Copy-Item (Join-Path $PSHOME '*') $Destination -Recurse
# The options go through a response file: pwsh on Unix would expand the reference wildcards into input files.
$options = Join-Path $Destination 'crossgen2.rsp'
foreach ($assembly in Get-ChildItem $PSHOME -Filter *.dll | Where-Object Name -notlike 'Microsoft.CodeAnalysis*') {
    Set-Content -Path $options -Value @(
        $assembly.FullName, '-o', (Join-Path $Destination $assembly.Name), '-O', '--targetos', $os, '--targetarch', $arch,
        '-r', (Join-Path $framework '*.dll'), '-r', (Join-Path $PSHOME '*.dll'))
    $output = & $compiler "@$options" 2>&1
    if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $($assembly.Name):`n$($output -join "`n")" }
}
Remove-Item $options
(Resolve-Path (Join-Path $Destination 'pwsh.dll')).Path
