<#
.SYNOPSIS
    Run by Isolation.Tests.ps1 in a fresh pwsh: loads other versions of the module's dependencies (as another module
    would) before or after SfBackup, drives every cmdlet family against the emulator, and says what it saw.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('OthersFirst', 'SfBackupFirst')] [string] $Order,
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Packages
)
$ErrorActionPreference = 'Stop'

function Import-Others {
    $others = @(
        'microsoft.extensions.dependencyinjection.abstractions/7.0.0/lib/netstandard2.0/Microsoft.Extensions.DependencyInjection.Abstractions.dll'
        'microsoft.extensions.http/7.0.0/lib/netstandard2.0/Microsoft.Extensions.Http.dll'
        'system.text.json/8.0.5/lib/netstandard2.0/System.Text.Json.dll'
    )
    foreach ($relative in $others) {
        $loaded = [Reflection.Assembly]::LoadFrom((Join-Path $Packages $relative))
        "other: $($loaded.GetName().Name) $($loaded.GetName().Version)"
    }
    # The other module's types work, at the version it shipped.
    $options = [Microsoft.Extensions.Http.HttpClientFactoryOptions]::new()
    "other works: HttpClientFactoryOptions $($options.GetType().Assembly.GetName().Version) lifetime $($options.HandlerLifetime)"
}

function Invoke-EveryFamily {
    $partition = 'a1b2c3d4-0001-4000-8000-000000000001'
    $seed = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
    Connect-SfCluster -Endpoint $Url | Out-Null
    $share = New-SfBackupStorage -Path '\\nas\conflict'
    New-SfBackupPolicy -Name conflict -Interval '01:00:00' -Storage $share -RetentionDuration (New-TimeSpan -Days 1) | Out-Null
    "policies: $(@(Get-SfBackupPolicy).Count)"
    Enable-SfPartitionBackup $partition -BackupPolicyName conflict -PassThru | ForEach-Object { "action: $($_.Operation)" }
    Suspend-SfPartitionBackup $partition -PassThru | ForEach-Object { "action: $($_.Operation)" }
    Resume-SfPartitionBackup $partition -PassThru | ForEach-Object { "action: $($_.Operation)" }
    Suspend-SfApplicationBackup fabric:/CalcApp -PassThru | ForEach-Object { "action: $($_.Operation)" }
    "configuration: $((Get-SfBackupConfiguration -PartitionId $partition).PolicyName)"
    Start-SfPartitionBackup $seed -PassThru | ForEach-Object { "action: $($_.Operation)" }
    "progress: $((Get-SfPartitionBackupProgress $seed).BackupState)"
    $latest = Get-SfBackup -PartitionId $seed -Latest
    "backup: $($latest.BackupType)"
    $latest | Restore-SfPartition -WhatIf
    "partitions: $(@(Get-SfApplication | Get-SfService | Get-SfPartition).Count)"
    $client = (Get-SfClusterConnection).GetType().Assembly
    $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($client)
    "client context: $($context.GetType().FullName)"
    foreach ($own in $context.Assemblies) { "sfbackup uses: $($own.GetName().Name) $($own.GetName().Version)" }
    Disconnect-SfCluster
}

if ($Order -eq 'OthersFirst') {
    Import-Others
    Import-Module $Manifest
    Invoke-EveryFamily
}
else {
    Import-Module $Manifest
    Invoke-EveryFamily
    Import-Others
}
