using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// The built module folder read as metadata only (System.Reflection.MetadataLoadContext): cmdlet types and their
/// attributes as PowerShell will see them, with no PowerShell runtime on the machine.
/// </summary>
public sealed class ModuleMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;

    public ModuleMetadata()
    {
        Assert.True(File.Exists(Path.Combine(TestPaths.ModuleDir, "SfBackup.PowerShell.dll")), $"The module folder {TestPaths.ModuleDir} has not been built.");
        Assert.True(File.Exists(TestPaths.SmaReference), $"No System.Management.Automation reference at {TestPaths.SmaReference}.");

        // One file per assembly name: the module folder's copies win over the runtime's.
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")) files[Path.GetFileName(file)] = file;
        foreach (var file in Directory.GetFiles(TestPaths.ModuleDir, "*.dll")) files[Path.GetFileName(file)] = file;
        foreach (var file in Directory.GetFiles(TestPaths.DependencyDir, "*.dll")) files[Path.GetFileName(file)] = file;
        files["System.Management.Automation.dll"] = TestPaths.SmaReference;

        _context = new MetadataLoadContext(new PathAssemblyResolver(files.Values));
        PowerShellAssembly = _context.LoadFromAssemblyPath(Path.Combine(TestPaths.ModuleDir, "SfBackup.PowerShell.dll"));
        ClientAssembly = _context.LoadFromAssemblyPath(Path.Combine(TestPaths.DependencyDir, "SfBackup.Client.dll"));

        Cmdlets = PowerShellAssembly.GetTypes()
            .Where(t => !t.IsAbstract && Attribute(t, "System.Management.Automation.CmdletAttribute") is not null)
            .ToDictionary(CmdletName, t => t);
    }

    public Assembly PowerShellAssembly { get; }
    public Assembly ClientAssembly { get; }

    /// <summary>Verb-Noun → cmdlet type.</summary>
    public IReadOnlyDictionary<string, Type> Cmdlets { get; }

    public static CustomAttributeData? Attribute(MemberInfo member, string fullName) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == fullName);

    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string fullName) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == fullName);

    public static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    private static string CmdletName(Type type)
    {
        var cmdlet = Attribute(type, "System.Management.Automation.CmdletAttribute")!;
        return $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";
    }

    /// <summary>Properties that carry [Parameter], inherited ones included, by name.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Attribute(p, "System.Management.Automation.ParameterAttribute") is not null)
            .ToDictionary(p => p.Name, p => p);

    /// <summary>The cmdlet names the manifest exports.</summary>
    public static IReadOnlyList<string> ManifestCmdlets(string psd1Text)
    {
        var block = Regex.Match(psd1Text, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
        Assert.True(block.Success, "The manifest has no CmdletsToExport = @( ... ) list.");
        return Regex.Matches(block.Groups["list"].Value, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
    }

    public void Dispose() => _context.Dispose();
}
