<#
.SYNOPSIS
    Publishes a built SfBackup module folder to a local file repository with Publish-PSResource, which writes
    SfBackup.<version>.nupkg there. build.ps1 Package calls it for artifacts/SfBackup; the package test calls it
    for the folder under test.
.DESCRIPTION
    The repository is registered under a name of its own for the publish only, and unregistered afterwards, so the
    caller's PSResourceGet settings are left as they were. A package of the same version already there is replaced.
    Outputs the .nupkg file.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $RepositoryPath
)

$ErrorActionPreference = 'Stop'
$ModuleFolder = (Resolve-Path $ModuleFolder).Path
$version = (Import-PowerShellDataFile (Join-Path $ModuleFolder 'SfBackup.psd1')).ModuleVersion
$repository = (New-Item -ItemType Directory -Force -Path $RepositoryPath).FullName
Remove-Item (Join-Path $repository "SfBackup.$version.nupkg") -ErrorAction SilentlyContinue

# Publish-PSResource reads the module's name from its folder, which must be SfBackup.
if ((Split-Path $ModuleFolder -Leaf) -ne 'SfBackup') { throw "The module folder must be named SfBackup: $ModuleFolder" }

$name = 'SfBackupPublish' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name $name -Uri $repository -Trusted
try {
    Publish-PSResource -Path $ModuleFolder -Repository $name
}
finally {
    Unregister-PSResourceRepository -Name $name
}
Get-Item (Join-Path $repository "SfBackup.$version.nupkg")
