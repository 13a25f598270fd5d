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

Show-Step 'Discovery: Get-SfApplication | Get-SfService | Get-SfPartition'
Get-SfApplication | Get-SfService | Get-SfPartition | Format-Table | Out-Host

Show-Step 'Policy to restore: New-SfBackupPolicy, enable from discovery, back up, restore'
New-SfBackupPolicy -Name every4h -Interval '04:00:00' -Storage (New-SfBackupStorage -Path '\\nas\sf-backups') -MaxIncrementalBackups 5 -RetentionDuration (New-TimeSpan -Days 14) |
    Format-Table | Out-Host
Get-SfPartition -ServiceName fabric:/Inventory/Stock | Enable-SfPartitionBackup -BackupPolicyName every4h -PassThru | Format-Table | Out-Host
$stock = (Get-SfPartition -ServiceName fabric:/Inventory/Stock -First 1).PartitionId
Start-SfPartitionBackup -PartitionId $stock -Wait | Format-Table | Out-Host
Get-SfBackup -PartitionId $stock -Latest | Restore-SfPartition -WhatIf
Get-SfBackup -PartitionId $stock -Latest | Restore-SfPartition -Confirm:$false -Wait | Format-Table | Out-Host

Show-Step 'Point in time: Restore-SfService plans every partition by key range (-WhatIf: the plan, nothing sent)'
Restore-SfService -ServiceName fabric:/Inventory/Stock -PointInTime (Get-Date) -AllowPartial -WhatIf | Format-Table | Out-Host

Show-Step 'Are backups happening? Get-SfBackupHealth -Summary, then the partitions that need action'
Get-SfBackupHealth -Summary | Format-Table | Out-Host
Get-SfBackupHealth -Unhealthy | Format-Table | Out-Host

Show-Step 'Do the backups restore? Test-SfLastBackup -VerifyOnly checks each latest backup''s chain (a drill with -DrillSession restores it)'
Test-SfLastBackup -ServiceName fabric:/Inventory/Stock -VerifyOnly -WarningAction SilentlyContinue | Format-Table | Out-Host

Show-Step 'Configuration as code: Export-SfBackupConfiguration, then Compare-SfBackupConfiguration after a change'
$configuration = Join-Path ([IO.Path]::GetTempPath()) 'sfbackup-demo-configuration.json'
Export-SfBackupConfiguration -Path $configuration
Set-SfBackupPolicy -Name every4h -Interval '02:00:00'
Compare-SfBackupConfiguration -Path $configuration | Format-Table | Out-Host
Sync-SfBackupConfiguration -Path $configuration | Format-Table | Out-Host
Remove-Item $configuration

Show-Step 'Stateless partitions are skipped with a warning'
Get-SfPartition -ServiceName fabric:/CalcApp/CalcGateway | Enable-SfPartitionBackup -BackupPolicyName every4h

Disconnect-SfCluster
Write-Host "`nDone." -ForegroundColor Green
