#Requires -Version 7.4
# The README's "many clusters" example, run as written against two emulators (issue 11).

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:West = Start-SfTestEmulator
    $script:East = Start-SfTestEmulator
    # The example imports SfBackup by name, as an installed module is.
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path $env:SFBACKUP_MODULE_FOLDER -Parent) + [IO.Path]::PathSeparator + $env:PSModulePath
}

AfterAll {
    $env:PSModulePath = $script:SavedModulePath
    Stop-SfTestEmulator $script:West
    Stop-SfTestEmulator $script:East
}

Describe 'Many clusters, one runspace each' {
    It 'runs the README example: each runspace talks to its own cluster only, results tagged' {
        $clusters = @(
            [pscustomobject]@{ Name = 'west'; Endpoint = $script:West.Url; Policy = 'DailyAzureBackupPolicy' }
            [pscustomobject]@{ Name = 'east'; Endpoint = $script:East.Url; Policy = 'HourlyFileShareBackupPolicy' }
        )
        . (Get-SfReadmeExample '# many-clusters example') | Out-Null

        $report.Count | Should -Be 8
        foreach ($cluster in $clusters) {
            $rows = @($report | Where-Object Cluster -eq $cluster.Name)
            $rows.Count | Should -Be 4
            $rows.PolicyName | Sort-Object -Unique | Should -Be $cluster.Policy
        }
        # The journals: each emulator got its own four EnableBackup calls, not eight and not none.
        foreach ($emulator in $script:West, $script:East) {
            $enables = @(Get-SfTestJournal $emulator | Where-Object { $_.Method -eq 'POST' -and $_.RawTarget -like '*/$/EnableBackup*' })
            $enables.Count | Should -Be 4
        }
    }

    It 'a thread job does not inherit the parent runspace default, and one that connects keeps its own' {
        Import-SfBackupUnderTest
        Connect-SfCluster -Endpoint $script:West.Url | Out-Null
        $manifest = Join-Path $env:SFBACKUP_MODULE_FOLDER 'SfBackup.psd1'
        $east = $script:East.Url
        $job = Start-ThreadJob {
            Import-Module $using:manifest
            try { Get-SfClusterConnection -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
            (Connect-SfCluster -Endpoint $using:east).Endpoints[0].Port
        }
        $answers = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force
        $answers[0] | Should -Be 'SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfClusterConnectionCommand'
        $answers[1] | Should -Be ([uri]$script:East.Url).Port
        # The job connected to the east emulator; this runspace still holds west.
        (Get-SfClusterConnection).Endpoints[0].Port | Should -Be ([uri]$script:West.Url).Port
    }

    It 'leaves the calling runspace with no default of its own' {
        Import-SfBackupUnderTest
        Disconnect-SfCluster -ErrorAction SilentlyContinue
        { Get-SfClusterConnection -ErrorAction Stop } | Should -Throw -ErrorId 'SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfClusterConnectionCommand'
    }
}
