using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Every output type through Format-Table, Format-List and Out-String at 80 columns in the real engine: no value
/// printed as a type name, every table column on the screen with its header unbroken, and no secret shown.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed partial class FormattingTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();
    private Runspace _runspace = null!;

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _runspace = ModuleEngine.Open();
        ModuleEngine.Run(_runspace, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null", new Dictionary<string, object> { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
    }

    /// <summary>A script that makes objects of one output type, as a user gets them.</summary>
    public static TheoryData<string, string> Outputs => new()
    {
        { "SfClusterConnection", "Connect-SfCluster -Endpoint $Url -AccessToken $Secret -ServerCertThumbprint ('AB' * 20) -NoDefault -AllowUnencryptedAuthentication" },
        { "AzureBlobBackupStorage", "New-SfBackupStorage -ConnectionString $Secret -ContainerName backups -FriendlyName nightly" },
        { "FileShareBackupStorage", "New-SfBackupStorage -Path '\\\\nas\\sf' -Credential ([pscredential]::new('ops', $Secret)) -SecondaryCredential ([pscredential]::new('ops2', $Secret))" },
        { "ManagedIdentityAzureBlobBackupStorage", "New-SfBackupStorage -BlobServiceUri https://acct.blob.core.windows.net -ContainerName backups" },
        { "DsmsAzureBlobBackupStorage", "New-SfBackupStorage -StorageCredentialsSourceLocation https://dsms/location -ContainerName backups" },
        { "BackupPolicy", "Get-SfBackupPolicy" },
        { "BackupEntity", "Get-SfBackupPolicyEntity DailyAzureBackupPolicy" },
        { "BackupConfigurationInfo", "Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp; Get-SfBackupConfiguration -PartitionId " + Seed },
        { "BackupInfo", "Get-SfBackup -PartitionId " + Seed },
        { "SfActionResult", "Resume-SfPartitionBackup -PartitionId " + Seed + " -PassThru; Suspend-SfApplicationBackup fabric:/CalcApp -PassThru" },
        { "BackupProgressInfo", "Start-SfPartitionBackup -PartitionId " + Seed + "; Get-SfPartitionBackupProgress -PartitionId " + Seed },
        { "RestoreProgressInfo", "Get-SfPartitionRestoreProgress -PartitionId " + Seed },
        { "SfApplication", "Get-SfApplication" },
        { "SfService", "Get-SfService fabric:/CalcApp" },
        { "SfPartition", "Get-SfPartition fabric:/CalcApp/CalcService; Get-SfPartition fabric:/Inventory/Stock" },
        { "SfRestoreStep", "Restore-SfService fabric:/CalcApp/CalcService -PointInTime '2026-01-11T12:00:00Z' -AllowPartial -WhatIf" },
        { "SfBackupHealth", "Get-SfBackupHealth" },
        { "SfBackupHealthSummary", "Get-SfBackupHealth -Summary" },
        { "SfBackupHealth (with the last drill)", "Get-SfBackupHealth -ServiceName fabric:/CalcApp/CalcService -IncludeLastVerified" },
        { "SfConfigDifference", Drifted + "Compare-SfBackupConfiguration -Path $f" },
        { "SfConfigStep", Drifted + "Sync-SfBackupConfiguration -Path $f -Prune -Force" },
        { "SfChainReport", "Get-SfBackupCatalog -ServiceName fabric:/CalcApp/CalcService | Test-SfBackupChain" },
        { "SfDrillResult", "Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -VerifyOnly -WarningAction SilentlyContinue" },
    };

    /// <summary>An export, then drift in the cluster: a policy field, a suspension and a mapping the file does not have.</summary>
    private const string Drifted = "$f = (New-TemporaryFile).FullName; Export-SfBackupConfiguration -Path $f; Set-SfBackupPolicy HourlyFileShareBackupPolicy -Interval 02:00:00; "
        + "Resume-SfServiceBackup fabric:/CalcApp/CalcService; Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy; ";

    private string Render(string make, string formatter, int width = 80)
    {
        _emulator.Reset();
        var outcome = ModuleEngine.Run(_runspace,
            "param($Url, $Secret) $objects = @(" + make + "); $objects | " + formatter + " | Out-String -Width " + width,
            new Dictionary<string, object> { ["Url"] = _emulator.BaseUri, ["Secret"] = Secret() }).ThrowIfErrors();
        return string.Concat(outcome.Output.Select(o => o.ToString()));
    }

    private static System.Security.SecureString Secret()
    {
        var secret = new System.Security.SecureString();
        foreach (var c in "AccountKey=TopSecret") secret.AppendChar(c);
        return secret;
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Tables_fit_80_columns_with_every_header_whole_and_no_type_names(string type, string make)
    {
        var text = Render(make, "Format-Table");
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();

        AssertReadable(type, text);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{type}: a line is {l.Length} wide:\n{text}"));
        // The header fits on one line: the next line is the underline, not the rest of a wrapped header.
        Assert.Matches(@"^[- ]+$", lines[1]);
        Assert.True(lines.Count >= 3, $"{type}: no rows:\n{text}");
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void At_160_columns_no_cell_is_cut_and_at_80_the_two_key_columns_are_whole(string type, string make)
    {
        // At 160 nothing is cut but a last column of free text (a reason, a problem), which has no bound.
        var wide = Render(make, "Format-Table", 160);
        var wideLines = wide.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        var lastColumn = System.Text.RegularExpressions.Regex.Matches(wideLines[1], "-+").Last();
        var freeText = new[] { "Reason", "Problem" }.Any(h => wideLines[0].Substring(lastColumn.Index).TrimStart().StartsWith(h, StringComparison.Ordinal));
        foreach (var row in wideLines.Skip(2))
        {
            var cells = freeText && row.Length > lastColumn.Index ? row.Substring(0, lastColumn.Index) : row;
            Assert.True(!cells.Contains('…'), $"{type}: a cell is cut at 160 columns:\n{wide}");
        }

        var text = Render(make, "Format-Table");
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        // The underline gives each column's span; the first two columns (the status or name, and the id) stay whole.
        var spans = System.Text.RegularExpressions.Regex.Matches(lines[1], "-+").Take(2).Select(m => (m.Index, End: m.Index + m.Length)).ToList();
        var end = spans.Count == 1 || lines[0].Length <= spans[1].End ? int.MaxValue : spans[1].End + 1;
        foreach (var row in lines.Skip(2))
        {
            var key = row.Length <= end ? row : row.Substring(0, end);
            Assert.True(!key.Contains('…'), $"{type}: a key column is cut at 80 columns:\n{text}");
        }
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Lists_and_the_default_view_show_values_as_text(string type, string make)
    {
        // Format-List * is left out on purpose: it asks for every raw property, SecureStrings included.
        AssertReadable(type, Render(make, "Format-List"));
        AssertReadable(type, Render(make, "Write-Output"));
    }

    [Fact]
    public void Configurations_say_whether_and_where_backup_is_suspended()
    {
        var text = Render("Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp", "Format-Table");

        Assert.Matches(@"(?m)^fabric:/CalcApp/CalcService\s+DailyAzureBackupPo\S*\s+Application\s+Service\s*$", text);
        Assert.Matches(@"(?m)^fabric:/CalcApp\s+DailyAzureBackupPo\S*\s+Application\s+No\s*$", text);
        Assert.Contains("Suspended at Service", Render("Get-SfBackupConfiguration -ServiceName fabric:/CalcApp/CalcService", "Format-List"));
    }

    [Fact]
    public void Partitions_show_their_key_range_and_backups_their_partition_information_as_text()
    {
        Assert.Matches(@"(?m)^1daae3f5-7fd6-42e9-b1ba-8c05f873994d\s+Stateful\s+Ready\s+min\.\.-1\s*$", Render("Get-SfPartition fabric:/CalcApp/CalcService", "Format-Table"));
        Assert.Contains("PartitionInformation    : Int64Range -9223372036854775808..-1", Render("Get-SfBackup -PartitionId " + Seed + " -Latest", "Format-List"));
    }

    private static void AssertReadable(string type, string text)
    {
        Assert.DoesNotMatch(TypeName(), text);
        Assert.DoesNotContain("TopSecret", text);
        Assert.False(string.IsNullOrWhiteSpace(text), $"{type}: nothing rendered");
    }

    /// <summary>What PowerShell prints for an object it has no text for: its full type name.</summary>
    [GeneratedRegex(@"\b(SfBackup|System)\.[A-Z]\w*\.[A-Z][\w.`\[\]]*")]
    private static partial Regex TypeName();
}
