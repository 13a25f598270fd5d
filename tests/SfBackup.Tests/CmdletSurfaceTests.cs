using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.Infrastructure.ModuleMetadata;

namespace SfBackup.Tests;

/// <summary>The cmdlet surface as documented in the README, read from the built module folder's metadata.</summary>
public sealed class CmdletSurfaceTests : IClassFixture<ModuleMetadata>
{
    private const string Sma = "System.Management.Automation.";
    private readonly ModuleMetadata _module;

    public CmdletSurfaceTests(ModuleMetadata module) => _module = module;

    private const string ActionResult = "SfBackup.Client.Models.SfActionResult";
    private static readonly string[] PartitionAction = ["PartitionId", "ServiceKind", "PassThru", "ThrottleLimit", "Session"];
    private static readonly string[] ServiceAction = ["ServiceName", "PassThru", "Session"];
    private static readonly string[] ApplicationAction = ["ApplicationName", "PassThru", "Session"];
    private static readonly string[] EntityQuery = ["ApplicationName", "ServiceName", "PartitionId", "Session"];
    private static readonly string[] PointInTimeRestore = ["PointInTime", "Storage", "Catalog", "AllowPartial", "ThrottleLimit", "Wait", "WaitTimeoutSec", "RestoreTimeoutMinutes", "Force", "Session"];
    private static readonly string[] PolicyDefinition = ["Name", "Storage", "Interval", "RunTime", "RunDay", "MaxIncrementalBackups", "RetentionDuration", "MinimumBackupCount", "AutoRestoreOnDataLoss", "ValidateConnection", "Session"];

    /// <summary>One row of the documented surface: parameters, ShouldProcess, output types (';'-separated), ConfirmImpact (1 Low, 2 Medium, 3 High), SupportsPaging.</summary>
    public sealed record Surface(string[] Parameters, bool ShouldProcess, string Output, int Impact = 2, bool Paging = false);

    /// <summary>The cmdlet surface as the README documents it.</summary>
    public static readonly Dictionary<string, Surface> Documented = new()
    {
        ["Connect-SfCluster"] = new(["Endpoint", "ApiVersion", "TimeoutSec", "RequestTimeoutSec", "TotalTimeoutSec", "RetryCount", "ClientCertificate", "AccessToken", "ServerCertThumbprint", "SkipCertificateCheck", "AllowUnencryptedAuthentication", "SkipGatewayCheck", "Verify", "NoDefault"], false, "SfBackup.Client.Session.SfClusterConnection"),
        ["Get-SfClusterConnection"] = new([], false, "SfBackup.Client.Session.SfClusterConnection"),
        ["Disconnect-SfCluster"] = new(["Session"], false, "System.Void"),
        ["New-SfBackupStorage"] = new(["ConnectionString", "BlobServiceUri", "ManagedIdentityType", "StorageCredentialsSourceLocation", "ContainerName", "Path", "Credential", "SecondaryCredential", "FriendlyName"], false, "SfBackup.Client.Models.BackupStorage"),

        ["Enable-SfApplicationBackup"] = new([.. ApplicationAction, "BackupPolicyName"], true, ActionResult),
        ["Enable-SfServiceBackup"] = new([.. ServiceAction, "BackupPolicyName"], true, ActionResult),
        ["Enable-SfPartitionBackup"] = new([.. PartitionAction, "BackupPolicyName"], true, ActionResult),
        ["Disable-SfApplicationBackup"] = new([.. ApplicationAction, "CleanBackup", "Force"], true, ActionResult),
        ["Disable-SfServiceBackup"] = new([.. ServiceAction, "CleanBackup", "Force"], true, ActionResult),
        ["Disable-SfPartitionBackup"] = new([.. PartitionAction, "CleanBackup", "Force"], true, ActionResult),
        ["Suspend-SfApplicationBackup"] = new(ApplicationAction, true, ActionResult),
        ["Suspend-SfServiceBackup"] = new(ServiceAction, true, ActionResult),
        ["Suspend-SfPartitionBackup"] = new(PartitionAction, true, ActionResult),
        ["Resume-SfApplicationBackup"] = new(ApplicationAction, true, ActionResult),
        ["Resume-SfServiceBackup"] = new(ServiceAction, true, ActionResult),
        ["Resume-SfPartitionBackup"] = new(PartitionAction, true, ActionResult),

        ["Start-SfPartitionBackup"] = new([.. PartitionAction, "Storage", "BackupTimeoutMinutes", "Wait", "WaitTimeoutSec"], true, ActionResult + ";SfBackup.Client.Models.BackupProgressInfo"),
        ["Restore-SfPartition"] = new([.. PartitionAction, "BackupId", "BackupLocation", "Storage", "RestoreTimeoutMinutes", "Wait", "WaitTimeoutSec"], true, ActionResult + ";SfBackup.Client.Models.RestoreProgressInfo", Impact: 3),
        ["Skip-SfPartitionAutoRestore"] = new(PartitionAction, true, ActionResult),
        ["Get-SfPartitionRestoreProgress"] = new(["PartitionId", "ServiceKind", "Session"], false, "SfBackup.Client.Models.RestoreProgressInfo"),
        ["Get-SfPartitionBackupProgress"] = new(["PartitionId", "ServiceKind", "Session"], false, "SfBackup.Client.Models.BackupProgressInfo"),
        ["Restore-SfService"] = new(["ServiceName", "SourceServiceName", .. PointInTimeRestore], true, "SfBackup.Client.Models.SfRestoreStep", Impact: 3),
        ["Restore-SfApplication"] = new(["ApplicationName", "SourceApplicationName", .. PointInTimeRestore], true, "SfBackup.Client.Models.SfRestoreStep", Impact: 3),
        ["Get-SfBackupHealth"] = new([.. EntityQuery, "ServiceKind", "Grace", "Unhealthy", "Summary", "ReportHealth", "HealthTimeToLive", "IncludeLastVerified", "ThrottleLimit"], true,
            "SfBackup.Client.Models.SfBackupHealth;SfBackup.Client.Models.SfBackupHealthSummary", Impact: 1),
        ["Test-SfLastBackup"] = new([.. EntityQuery, "ServiceKind", "DrillSession", "DrillServiceName", "Storage", "Probe", "ThrottleLimit", "Sample", "Slice", "MaxDuration",
            "VerifyOnly", "ReportHealth", "HealthTimeToLive", "RestoreTimeoutMinutes", "WaitTimeoutSec"], true, "SfBackup.Client.Models.SfDrillResult"),

        ["Export-SfBackupConfiguration"] = new(["Path", "SecretName", "NoClobber", "Session"], true, "System.String", Impact: 1),
        ["Compare-SfBackupConfiguration"] = new(["Path", "Session"], false, "SfBackup.Client.Models.SfConfigDifference"),
        ["Sync-SfBackupConfiguration"] = new(["Path", "Secret", "SecretResolver", "Prune", "Reapply", "Force", "Session"], true, "SfBackup.Client.Models.SfConfigStep"),

        ["Get-SfBackupCatalog"] = new([.. EntityQuery, "Storage", "CachePath", "Refresh", "StartTime", "EndTime"], false, "SfBackup.Client.Models.BackupInfo"),
        ["Test-SfBackupChain"] = new(["InputObject", "CachePath", "ClusterSession", "Session"], false, "SfBackup.Client.Models.SfChainReport"),

        ["New-SfBackupPolicy"] = new(PolicyDefinition, true, "SfBackup.Client.Models.BackupPolicy"),
        ["Set-SfBackupPolicy"] = new([.. PolicyDefinition, "PassThru"], true, "SfBackup.Client.Models.BackupPolicy"),
        ["Get-SfBackupPolicy"] = new(["Name", "Session"], false, "SfBackup.Client.Models.BackupPolicy", Paging: true),
        ["Remove-SfBackupPolicy"] = new(["Name", "Session"], true, "System.Void", Impact: 3),
        ["Get-SfBackupPolicyEntity"] = new(["Name", "Session"], false, "SfBackup.Client.Models.BackupEntity", Paging: true),

        ["Get-SfBackupConfiguration"] = new(EntityQuery, false, "SfBackup.Client.Models.BackupConfigurationInfo", Paging: true),
        ["Get-SfBackup"] = new([.. EntityQuery, "Storage", "Latest", "StartTime", "EndTime"], false, "SfBackup.Client.Models.BackupInfo", Paging: true),
        ["Get-SfApplication"] = new(["Name", "Session"], false, "SfBackup.Client.Models.SfApplication", Paging: true),
        ["Get-SfService"] = new(["ApplicationName", "Session"], false, "SfBackup.Client.Models.SfService", Paging: true),
        ["Get-SfPartition"] = new(["ServiceName", "Session"], false, "SfBackup.Client.Models.SfPartition", Paging: true),
    };

    public static TheoryData<string> CmdletNames() => new(Documented.Keys);

    private Type Cmdlet(string name)
    {
        Assert.True(_module.Cmdlets.TryGetValue(name, out var type), $"{name} is not in the built module");
        return type!;
    }

    [Fact]
    public void The_dll_defines_exactly_the_documented_cmdlets() =>
        Assert.Equal(Documented.Keys.Order(), _module.Cmdlets.Keys.Order());

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_cmdlet_has_exactly_its_documented_parameters(string name) =>
        Assert.Equal(Documented[name].Parameters.Order(), Parameters(Cmdlet(name)).Keys.Order());

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ShouldProcess_is_declared_exactly_where_the_cluster_changes(string name)
    {
        var attribute = Attribute(Cmdlet(name), Sma + "CmdletAttribute")!;
        Assert.Equal(Documented[name].ShouldProcess, Named<bool>(attribute, "SupportsShouldProcess"));
        if (Documented[name].ShouldProcess) Assert.Equal(Documented[name].Impact, Named<int>(attribute, "ConfirmImpact"));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Listing_cmdlets_support_paging_and_no_others_do(string name)
    {
        var attribute = Attribute(Cmdlet(name), Sma + "CmdletAttribute")!;
        Assert.Equal(Documented[name].Paging, Named<bool>(attribute, "SupportsPaging"));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_cmdlet_declares_its_output_type(string name)
    {
        var output = Attribute(Cmdlet(name), Sma + "OutputTypeAttribute");
        Assert.NotNull(output);
        var types = ((IEnumerable<CustomAttributeTypedArgument>)output!.ConstructorArguments[0].Value!).Select(a => ((Type)a.Value!).FullName);
        Assert.Equal(Documented[name].Output.Split(';'), types);
    }

    /// <summary>Cmdlets of one partition per pipeline item (the query cmdlets, which also take applications and services, left out).</summary>
    public static TheoryData<string> PartitionCmdlets() =>
        new(Documented.Where(d => d.Value.Parameters.Contains("ServiceKind") && !d.Value.Parameters.Contains("ApplicationName")).Select(d => d.Key));

    [Theory]
    [MemberData(nameof(PartitionCmdlets))]
    public void PartitionId_binds_from_the_pipeline_by_value_and_by_property_name(string name)
    {
        var property = Parameters(Cmdlet(name))["PartitionId"];
        var parameter = Attribute(property, Sma + "ParameterAttribute")!;

        Assert.Equal("System.Guid", property.PropertyType.FullName);
        Assert.True(Named<bool>(parameter, "Mandatory"));
        Assert.True(Named<bool>(parameter, "ValueFromPipeline"));
        Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
        Assert.Equal(0, Named<int>(parameter, "Position"));
        var transformation = Attribute(property, "SfBackup.PowerShell.Binding.PartitionIdTransformationAttribute");
        Assert.NotNull(transformation);
        Assert.False(Named<bool>(transformation!, "AllowMissing"));
        var aliases = Attribute(property, Sma + "AliasAttribute")!.ConstructorArguments[0].Value as IEnumerable<CustomAttributeTypedArgument>;
        Assert.Contains("PartitionInformation", aliases!.Select(a => (string)a.Value!));
    }

    [Theory]
    [MemberData(nameof(PartitionCmdlets))]
    public void Partition_cmdlets_read_the_service_kind_from_pipeline_objects_to_skip_stateless_ones(string name)
    {
        var property = Parameters(Cmdlet(name))["ServiceKind"];
        var parameter = Attribute(property, Sma + "ParameterAttribute")!;

        Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
        Assert.False(Named<bool>(parameter, "Mandatory"));
        Assert.True(Named<bool>(parameter, "DontShow"));
    }

    [Theory]
    [InlineData("Get-SfBackup")]
    [InlineData("Get-SfBackupConfiguration")]
    public void Entity_queries_bind_each_level_by_its_exact_property_name_only(string name)
    {
        var parameters = Parameters(Cmdlet(name));
        foreach (var p in new[] { "ApplicationName", "ServiceName", "PartitionId" })
        {
            var parameter = Attribute(parameters[p], Sma + "ParameterAttribute")!;
            Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
            Assert.False(Named<bool>(parameter, "ValueFromPipeline"));
            Assert.False(Named<bool>(parameter, "Mandatory"));
            if (p == "PartitionId")
            {
                // Objects whose PartitionId is null (a service's -PassThru result) must still bind: null means "not given".
                Assert.True(Named<bool>(Attribute(parameters[p], "SfBackup.PowerShell.Binding.PartitionIdTransformationAttribute")!, "AllowMissing"));
            }
            // Name/Id aliases would let an application's Name bind as a service name.
            var aliases = Attribute(parameters[p], Sma + "AliasAttribute")?.ConstructorArguments[0].Value as IEnumerable<CustomAttributeTypedArgument>;
            Assert.DoesNotContain(aliases?.Select(a => (string)a.Value!) ?? [], a => a is "Name" or "Id");
        }
    }

    [Theory]
    [MemberData(nameof(PartitionCmdlets))]
    public void Partition_state_changes_can_run_several_requests_at_once(string name)
    {
        var parameters = Parameters(Cmdlet(name));
        if (!Documented[name].ShouldProcess)
        {
            Assert.False(parameters.ContainsKey("ThrottleLimit"));
            return;
        }
        var range = Attribute(parameters["ThrottleLimit"], Sma + "ValidateRangeAttribute")!;
        Assert.Equal(1, range.ConstructorArguments[0].Value);
        Assert.Equal(64, range.ConstructorArguments[1].Value);
    }

    [Fact]
    public void Restore_takes_a_backup_from_the_pipeline_by_property_name()
    {
        var parameters = Parameters(Cmdlet("Restore-SfPartition"));
        foreach (var p in new[] { "BackupId", "BackupLocation" })
        {
            var parameter = Attribute(parameters[p], Sma + "ParameterAttribute")!;
            Assert.True(Named<bool>(parameter, "Mandatory"));
            Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
        }
        Assert.Equal("System.Guid", parameters["BackupId"].PropertyType.FullName);
    }

    [Fact]
    public void Policy_schedules_take_two_parameter_sets_not_one_per_combination()
    {
        var parameters = Parameters(Cmdlet("New-SfBackupPolicy"));
        string[] Sets(string p) => Attributes(parameters[p], Sma + "ParameterAttribute").Select(a => Named<string>(a, "ParameterSetName")!).ToArray();

        Assert.Equal(["Interval"], Sets("Interval"));
        Assert.Equal(["RunTime"], Sets("RunTime"));
        Assert.Equal(["RunTime"], Sets("RunDay"));
        Assert.Equal("System.TimeSpan", parameters["Interval"].PropertyType.FullName);
        Assert.Equal("System.TimeSpan[]", parameters["RunTime"].PropertyType.FullName);
        Assert.Equal("System.DayOfWeek[]", parameters["RunDay"].PropertyType.FullName);
        var all = parameters.Values.SelectMany(p => Attributes(p, Sma + "ParameterAttribute")).Select(a => Named<string>(a, "ParameterSetName") ?? "__AllParameterSets").Distinct();
        Assert.Equal(new[] { "Interval", "RunTime", "__AllParameterSets" }.Order(), all.Order());
    }

    [Theory]
    [InlineData("Enable-SfApplicationBackup", "BackupPolicyName", "PolicyNameCompleter")]
    [InlineData("Enable-SfServiceBackup", "BackupPolicyName", "PolicyNameCompleter")]
    [InlineData("Enable-SfPartitionBackup", "BackupPolicyName", "PolicyNameCompleter")]
    [InlineData("Get-SfBackupPolicy", "Name", "PolicyNameCompleter")]
    [InlineData("Set-SfBackupPolicy", "Name", "PolicyNameCompleter")]
    [InlineData("Remove-SfBackupPolicy", "Name", "PolicyNameCompleter")]
    [InlineData("Get-SfBackupPolicyEntity", "Name", "PolicyNameCompleter")]
    [InlineData("Suspend-SfApplicationBackup", "ApplicationName", "ApplicationNameCompleter")]
    [InlineData("Get-SfService", "ApplicationName", "ApplicationNameCompleter")]
    [InlineData("Get-SfApplication", "Name", "ApplicationNameCompleter")]
    public void Names_complete_from_the_cluster(string cmdlet, string parameter, string completer)
    {
        var attribute = Attribute(Parameters(Cmdlet(cmdlet))[parameter], Sma + "ArgumentCompleterAttribute");
        Assert.NotNull(attribute);
        Assert.Equal("SfBackup.PowerShell.Binding." + completer, ((Type)attribute!.ConstructorArguments[0].Value!).FullName);
    }

    [Fact]
    public void A_new_policy_name_is_not_completed_from_existing_ones() =>
        Assert.Null(Attribute(Parameters(Cmdlet("New-SfBackupPolicy"))["Name"], Sma + "ArgumentCompleterAttribute"));

    [Theory]
    [InlineData(Client.Transport.SfErrorKind.NotFound, "ObjectNotFound")]
    [InlineData(Client.Transport.SfErrorKind.Busy, "ResourceBusy")]
    [InlineData(Client.Transport.SfErrorKind.InvalidArgument, "InvalidArgument")]
    [InlineData(Client.Transport.SfErrorKind.Unavailable, "ConnectionError")]
    [InlineData(Client.Transport.SfErrorKind.Timeout, "OperationTimeout")]
    [InlineData(Client.Transport.SfErrorKind.ConnectionFailed, "ConnectionError")]
    [InlineData(Client.Transport.SfErrorKind.PermissionDenied, "PermissionDenied")]
    [InlineData(Client.Transport.SfErrorKind.ProtocolError, "ProtocolError")]
    [InlineData(Client.Transport.SfErrorKind.Unknown, "NotSpecified")]
    public void Each_failure_kind_is_reported_under_a_real_powershell_error_category(Client.Transport.SfErrorKind kind, string category)
    {
        Assert.Equal(category, Client.Transport.SfErrorCategories.NameOf(kind));
        Assert.Contains(category, ErrorCategoryNames());
    }

    [Fact]
    public void Every_failure_kind_has_a_category()
    {
        var names = ErrorCategoryNames();
        foreach (var kind in Enum.GetValues<Client.Transport.SfErrorKind>())
            Assert.Contains(Client.Transport.SfErrorCategories.NameOf(kind), names);
    }

    private string[] ErrorCategoryNames()
    {
        var sma = _module.PowerShellAssembly.GetReferencedAssemblies().Single(a => a.Name == "System.Management.Automation");
        var errorCategory = _module.PowerShellAssembly.GetType("SfBackup.PowerShell.SfCmdlet")!.BaseType!.Assembly.GetType(Sma + "ErrorCategory")!;
        Assert.Equal(sma.Name, errorCategory.Assembly.GetName().Name);
        return errorCategory.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToArray();
    }

    [Fact]
    public void Get_policy_names_accept_wildcards()
    {
        Assert.NotNull(Attribute(Parameters(Cmdlet("Get-SfBackupPolicy"))["Name"], Sma + "SupportsWildcardsAttribute"));
        Assert.NotNull(Attribute(Parameters(Cmdlet("Get-SfApplication"))["Name"], Sma + "SupportsWildcardsAttribute"));
    }

    [Fact]
    public void ServiceName_binds_from_the_pipeline_with_the_names_other_modules_use()
    {
        var property = Parameters(Cmdlet("Resume-SfServiceBackup"))["ServiceName"];
        var parameter = Attribute(property, Sma + "ParameterAttribute")!;
        var aliases = (IEnumerable<CustomAttributeTypedArgument>)Attribute(property, Sma + "AliasAttribute")!.ConstructorArguments[0].Value!;

        Assert.True(Named<bool>(parameter, "ValueFromPipeline"));
        Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
        Assert.Equal(["Name", "ServiceId", "Id"], aliases.Select(a => (string)a.Value!));
        Assert.NotNull(Attribute(property, "SfBackup.PowerShell.Binding.ValidateSfNameAttribute"));
    }

    [Fact]
    public void Enable_takes_the_policy_name_from_the_pipeline_by_property_name_too()
    {
        var parameter = Attribute(Parameters(Cmdlet("Enable-SfPartitionBackup"))["BackupPolicyName"], Sma + "ParameterAttribute")!;
        Assert.True(Named<bool>(parameter, "Mandatory"));
        Assert.True(Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
    }

    [Fact]
    public void Start_backup_validates_its_timeout_range_before_binding()
    {
        var range = Attribute(Parameters(Cmdlet("Start-SfPartitionBackup"))["BackupTimeoutMinutes"], Sma + "ValidateRangeAttribute")!;
        Assert.Equal(1, range.ConstructorArguments[0].Value);
        Assert.Equal(1440, range.ConstructorArguments[1].Value);
    }

    [Fact]
    public void Connect_validates_the_timeout_and_api_version_with_powershell_attributes()
    {
        var parameters = Parameters(Cmdlet("Connect-SfCluster"));
        var range = Attribute(parameters["TimeoutSec"], Sma + "ValidateRangeAttribute")!;
        var pattern = Attribute(parameters["ApiVersion"], Sma + "ValidatePatternAttribute")!;

        Assert.Equal(1L, range.ConstructorArguments[0].Value);
        Assert.Equal(4294967295L, range.ConstructorArguments[1].Value);
        Assert.Equal("System.Int64", parameters["TimeoutSec"].PropertyType.FullName);
        Assert.Matches((string)pattern.ConstructorArguments[0].Value!, "6.2-preview");
        Assert.DoesNotMatch((string)pattern.ConstructorArguments[0].Value!, "latest");
        Assert.Equal("System.Uri[]", parameters["Endpoint"].PropertyType.FullName);
        Assert.Equal("System.Security.SecureString", parameters["AccessToken"].PropertyType.FullName);
    }

    [Fact]
    public void New_storage_has_one_parameter_set_per_storage_kind_and_secret_typed_secrets()
    {
        var parameters = Parameters(Cmdlet("New-SfBackupStorage"));
        string[] Sets(string p) => Attributes(parameters[p], Sma + "ParameterAttribute").Select(a => Named<string>(a, "ParameterSetName")!).Order().ToArray();
        bool Mandatory(string p, string set) => Attributes(parameters[p], Sma + "ParameterAttribute").Any(a => Named<string>(a, "ParameterSetName") == set && Named<bool>(a, "Mandatory"));

        Assert.Equal(["AzureBlobStore"], Sets("ConnectionString"));
        Assert.Equal(["ManagedIdentityAzureBlobStore"], Sets("BlobServiceUri"));
        Assert.Equal(["FileShare"], Sets("Path"));
        Assert.Equal(["DsmsAzureBlobStore"], Sets("StorageCredentialsSourceLocation"));
        Assert.Equal(["AzureBlobStore", "DsmsAzureBlobStore", "ManagedIdentityAzureBlobStore"], Sets("ContainerName"));
        Assert.True(Mandatory("ConnectionString", "AzureBlobStore"));
        Assert.True(Mandatory("BlobServiceUri", "ManagedIdentityAzureBlobStore"));
        Assert.True(Mandatory("Path", "FileShare"));
        Assert.False(Mandatory("Credential", "FileShare"));
        Assert.Equal("System.Security.SecureString", parameters["ConnectionString"].PropertyType.FullName);
        Assert.Equal(Sma + "PSCredential", parameters["Credential"].PropertyType.FullName);
        Assert.Equal(Sma + "PSCredential", parameters["SecondaryCredential"].PropertyType.FullName);
    }

    public static TheoryData<string> ClusterCmdlets() => new(Documented.Where(d => d.Value.Parameters.Contains("Session") && d.Key != "Disconnect-SfCluster").Select(d => d.Key));

    [Theory]
    [MemberData(nameof(ClusterCmdlets))]
    public void Cluster_cmdlets_share_the_base_class_that_resolves_the_session_and_cancels(string name)
    {
        var type = Cmdlet(name);
        Assert.Equal("SfBackup.Client.Session.SfClusterConnection", Parameters(type)["Session"].PropertyType.FullName);
        Assert.True(IsSubclassOf(type, "SfBackup.PowerShell.SfCmdlet"), $"{name} does not derive from SfCmdlet");
        Assert.Contains(type.GetInterfaces(), i => i.FullName == "System.IDisposable");
    }

    private static bool IsSubclassOf(Type type, string fullName)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.FullName == fullName) return true;
        return false;
    }

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_the_dll_defines_and_no_wildcard()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.ModuleDir, "SfBackup.psd1"));
        var exported = ManifestCmdlets(text);

        Assert.DoesNotContain("*", exported);
        Assert.Equal(_module.Cmdlets.Keys.Order(), exported.Order());
        Assert.Equal(exported.Count, exported.Distinct().Count());
    }

    [Fact]
    public void The_manifest_declares_both_editions_the_root_module_and_the_format_file()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.ModuleDir, "SfBackup.psd1"));

        Assert.Matches(@"PowerShellVersion\s*=\s*'5\.1'", text);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Desktop',\s*'Core'\)", text);
        Assert.Matches(@"RootModule\s*=\s*'SfBackup\.PowerShell\.dll'", text);
        Assert.Matches(@"FunctionsToExport\s*=\s*@\(\)", text);
        Assert.True(File.Exists(Path.Combine(TestPaths.ModuleDir, "SfBackup.Format.ps1xml")));
    }

    [Fact]
    public void The_module_folder_manifest_carries_the_version_from_Directory_Build_props()
    {
        var props = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        var manifest = File.ReadAllText(Path.Combine(TestPaths.ModuleDir, "SfBackup.psd1"));

        Assert.NotEmpty(version);
        Assert.Matches($@"ModuleVersion\s*=\s*'{Regex.Escape(version)}'", manifest);
        Assert.Equal(version, _module.PowerShellAssembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void Every_output_type_has_a_format_view_and_every_view_names_a_real_type()
    {
        var format = XDocument.Load(Path.Combine(TestPaths.ModuleDir, "SfBackup.Format.ps1xml"));
        var viewed = format.Descendants("TypeName").Select(e => e.Value.Trim()).ToHashSet();

        foreach (var typeName in viewed)
        {
            var type = _module.ClientAssembly.GetType(typeName) ?? _module.PowerShellAssembly.GetType(typeName);
            Assert.True(type is not null, $"The format file has a view for {typeName}, which the module does not define");
        }
        foreach (var output in Documented.Values.SelectMany(d => d.Output.Split(';')).Where(o => !o.StartsWith("System.", StringComparison.Ordinal)).Distinct())
            Assert.Contains(output, viewed);
    }

    [Theory]
    [InlineData("SfBackup.PowerShell.dll")]
    [InlineData("SfBackup.Client.dll")]
    public void Module_assemblies_target_netstandard2_0(string file)
    {
        var assembly = file.StartsWith("SfBackup.Client") ? _module.ClientAssembly : _module.PowerShellAssembly;
        var target = assembly.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute");
        Assert.Equal(".NETStandard,Version=v2.0", target.ConstructorArguments[0].Value);
    }

    [Fact]
    public void The_client_has_no_powershell_dependency_and_binds_System_Text_Json_8()
    {
        var references = _module.ClientAssembly.GetReferencedAssemblies();

        Assert.DoesNotContain(references, r => r.Name == "System.Management.Automation");
        var json = references.Single(r => r.Name == "System.Text.Json");
        Assert.Equal(8, json.Version!.Major);
    }

    [Fact]
    public void The_module_folder_has_the_cmdlets_on_top_and_everything_else_in_dependencies()
    {
        var top = Directory.GetFileSystemEntries(TestPaths.ModuleDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var dependencies = Directory.GetFiles(TestPaths.DependencyDir).Select(Path.GetFileName).ToHashSet();

        Assert.Equal(["SfBackup.Format.ps1xml", "SfBackup.Loader.dll", "SfBackup.PowerShell.dll", "SfBackup.psd1", "dependencies", "en-US"], top);
        Assert.Contains("SfBackup.Client.dll", dependencies);
        Assert.Contains("System.Text.Json.dll", dependencies);
        Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        Assert.True(File.Exists(Path.Combine(TestPaths.ModuleDir, "en-US", "SfBackup.PowerShell.dll-Help.xml")));
    }

    [Theory]
    [InlineData("SfBackup.PowerShell.dll", new[] { "System.Management.Automation", "SfBackup.Client" })]
    [InlineData("SfBackup.Loader.dll", new[] { "System.Management.Automation", "System.Runtime.Loader" })]
    public void The_assemblies_in_the_default_context_reference_only_PowerShell_the_BCL_and_the_client(string file, string[] allowed)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(TestPaths.ModuleDir, file)));
        var reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();

        // netstandard is the BCL's face for a netstandard2.0 assembly; anything else would load into the session.
        Assert.All(references, name => Assert.True(name == "netstandard" || allowed.Contains(name), $"{file} references {name}"));
        Assert.Contains("System.Management.Automation", references);
    }

    [Theory]
    [InlineData("SfBackup.PowerShell.dll")]
    [InlineData("SfBackup.Client.dll")]
    public void Module_code_never_writes_to_the_console(string file)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(file.StartsWith("SfBackup.Client") ? TestPaths.DependencyDir : TestPaths.ModuleDir, file)));
        var reader = pe.GetMetadataReader();
        var consoleRefs = reader.TypeReferences
            .Select(h => reader.GetTypeReference(h))
            .Where(t => reader.GetString(t.Namespace) == "System" && reader.GetString(t.Name) == "Console")
            .ToList();

        Assert.Empty(consoleRefs);
    }

    [Fact]
    public void Every_public_parameter_has_help_text_in_the_xml_documentation()
    {
        var docs = XDocument.Load(TestPaths.PowerShellDocXml);
        var documented = docs.Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();

        foreach (var (name, type) in _module.Cmdlets)
        {
            foreach (var property in Parameters(type).Values)
            {
                var declaring = property.DeclaringType!.FullName;
                Assert.True(documented.Contains($"P:{declaring}.{property.Name}"), $"{name} -{property.Name} has no help text");
            }
        }
    }
}

/// <summary>The README's cmdlet reference table and the module agree.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_readme_reference_table_lists_exactly_the_exported_cmdlets_and_each_api_version_matches_the_catalog()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("## Cmdlet reference", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("###", StringComparison.Ordinal)];
        var rows = Regex.Matches(section, @"^\| `(?<cmdlet>[A-Za-z]+-Sf[A-Za-z]+)` \|(?<rest>.*)$", RegexOptions.Multiline);
        var manifest = ManifestCmdlets(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "SfBackup.psd1")));

        Assert.Equal(manifest.Order(), rows.Select(r => r.Groups["cmdlet"].Value).Order());
        var versions = Client.Transport.SfOperation.All.Select(o => o.DocumentedApiVersion).ToHashSet();
        foreach (Match row in rows)
        {
            var version = row.Groups["rest"].Value.TrimEnd().TrimEnd('|').Split('|').Last().Trim();
            Assert.True(version.Length == 0 || versions.Contains(version), $"{row.Groups["cmdlet"].Value}: api-version '{version}' is in no operation");
        }
    }
}
