<#
.SYNOPSIS
    A short tour of SfBackup against the emulator (build.ps1 Demo starts it). Changes only the emulator's state.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [string] $Endpoint = 'http://127.0.0.1:19080'
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModuleFolder 'SfBackup.psd1') -Force

function Show-Step([string] $Text) { Write-Host "`n== $Text" -ForegroundColor Cyan }

Show-Step "Connect-SfCluster -Endpoint $Endpoint"
Connect-SfCluster -Endpoint $Endpoint | Format-Table | Out-Host

$partition = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
Show-Step 'Resume-SfPartitionBackup -WhatIf (nothing is sent)'
Resume-SfPartitionBackup -PartitionId $partition -WhatIf

Show-Step 'Resume-SfPartitionBackup -PassThru'
Resume-SfPartitionBackup -PartitionId $partition -PassThru | Format-Table | Out-Host

Show-Step 'Resume-SfServiceBackup fabric:/CalcApp/CalcService -PassThru'
Resume-SfServiceBackup -ServiceName fabric:/CalcApp/CalcService -PassThru | Format-Table | Out-Host

Show-Step 'A pipeline of partitions (as Import-Csv rows) | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy'
$rows = 1..4 | ForEach-Object { [pscustomobject]@{ PartitionId = 'a1b2c3d4-000{0}-4000-8000-00000000000{0}' -f $_ } }
$rows | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru | Format-Table | Out-Host

Show-Step 'Start-SfPartitionBackup to a one-off file share'
$share = New-SfBackupStorage -Path '\\nas\adhoc-backups' -FriendlyName 'ad hoc'
$share | Format-Table | Out-Host
Start-SfPartitionBackup -PartitionId $partition -Storage $share -BackupTimeoutMinutes 30 -PassThru | Format-Table | Out-Host

Show-Step 'A failure does not stop the pipeline: one unknown partition, one good one'
'99999999-9999-4999-8999-999999999999', $partition |
    Get-SfPartitionRestoreProgress -ErrorAction SilentlyContinue -ErrorVariable failures | Format-Table | Out-Host
$failures | ForEach-Object { Write-Host ("error {0} on {1}: {2}" -f $_.FullyQualifiedErrorId, $_.TargetObject, $_.CategoryInfo.Category) -ForegroundColor Yellow }

Disconnect-SfCluster
Write-Host "`nDone." -ForegroundColor Green
