#Requires -Version 7.4
# Every example of every cmdlet's help (issue 21), run as written against the emulator: the help a user copies from
# must work. The variables the examples name ($p, $blob, $share, $drill, ...) and the files they read are made here
# first; Read-Host, Get-Credential and Get-Secret answer without a person.

BeforeDiscovery {
    $maml = [xml](Get-Content -Raw (Join-Path $env:SFBACKUP_MODULE_FOLDER 'en-US/SfBackup.PowerShell.dll-Help.xml'))
    $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
    $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    $commands = @($maml.SelectNodes('//command:command', $ns))
    $examples = foreach ($command in $commands) {
        $name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText
        $index = 0
        foreach ($code in $command.SelectNodes('command:examples/command:example/dev:code', $ns)) {
            $index++
            @{ Name = $name; Index = $index; Code = $code.InnerText }
        }
    }
    $counts = foreach ($command in $commands) {
        @{ Name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText; Count = $command.SelectNodes('command:examples/command:example', $ns).Count }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SfBackup.TestHelpers.ps1')
    $script:Pair = Start-SfTestEmulatorPair
    $script:Main = $script:Pair.Source
    $script:DrillEmulator = $script:Pair.Rebuilt
    $script:Storage = $script:Pair.Storage
    Import-SfBackupUnderTest
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('sfbackup-examples-work-{0}' -f [guid]::NewGuid())
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    # A client certificate with its private key, for Connect-SfCluster's example (-SkipGatewayCheck: nothing is sent to its gateways).
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=sfbackup-example', $rsa,
        [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $script:Cert = $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(1))
    $script:BlobSecret = 'DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=emulator-account-key'
}

AfterAll {
    Disconnect-SfCluster -ErrorAction SilentlyContinue
    Stop-SfTestEmulatorPair $script:Pair
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Help examples' {
    It '<Name> has at least two examples' -ForEach $counts {
        $Count | Should -BeGreaterOrEqual 2
    }

    It '<Name> example <Index> runs as written: <Code>' -ForEach $examples {
        Reset-SfTestEmulator $script:Main
        Reset-SfTestEmulator $script:DrillEmulator
        Connect-SfCluster -Endpoint $script:Main.Url | Out-Null
        # The examples' default address (no -Endpoint: 127.0.0.1:19080) is this run's emulator, whose port is its own.
        $PSDefaultParameterValues = @{ 'Connect-SfCluster:Endpoint' = $script:Main.Url }

        # What the examples name.
        $p = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d'
        $key = ConvertTo-SecureString $script:BlobSecret -AsPlainText -Force
        $blob = New-SfBackupStorage -ConnectionString $key -ContainerName BackupContainer
        $share = New-SfBackupStorage -Path '\\myshare\backupshare'
        $storage = $blob
        $t = (Get-Date).AddHours(1)
        $cert = $script:Cert
        $drill = Connect-SfCluster -Endpoint $script:DrillEmulator.Url -NoDefault
        $west = Connect-SfCluster -Endpoint $script:Main.Url -NoDefault
        $east = $drill
        function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString) ConvertTo-SecureString $script:BlobSecret -AsPlainText -Force }
        function Get-Credential { [pscredential]::new('backup-ops', (ConvertTo-SecureString 'Sh4re-Pa55' -AsPlainText -Force)) }
        function Get-Secret { param([Parameter(Position = 0)] $Name) ConvertTo-SecureString $script:BlobSecret -AsPlainText -Force }

        # The files they read, and a backup of CalcService's second partition for the whole-service restores.
        Push-Location $script:Work
        try {
            @([pscustomobject]@{ PartitionId = $p }, [pscustomobject]@{ PartitionId = '5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de' }) | Export-Csv ./partitions.csv -NoTypeInformation
            Export-SfBackupConfiguration -Path ./backup-config.json -SecretName @{ DailyAzureBackupPolicy = 'prod-backup-blob' }
            Get-SfBackupCatalog -CachePath ./catalog.json -Refresh | Out-Null
            if ($Name -eq 'Restore-SfService') { Start-SfPartitionBackup 5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de -Wait | Out-Null }

            # As written; a runbook's preferences: errors stop, nothing prompts.
            $ErrorActionPreference = 'Stop'
            $ConfirmPreference = 'None'
            . ([scriptblock]::Create($Code)) 3>$null 6>$null | Out-Null
        }
        finally {
            Pop-Location
        }
    }
}
