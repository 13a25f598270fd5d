using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace SfBackup.HelpGen;

public sealed record HelpParameter(
    string Name, string TypeName, string FullTypeName, string Description, bool Required, string Position,
    bool ByValue, bool ByPropertyName, bool Globbing, IReadOnlyList<string> Aliases, IReadOnlyList<string> Sets, bool Hidden)
{
    /// <summary>
    /// The default Get-Help shows: a [PSDefaultValue] when the parameter has one, otherwise what its description says
    /// after "default" ("(default 4)", "Default: the drill partitions' policy storage"); null when it says nothing.
    /// </summary>
    public string? DefaultValue { get; init; }
}

public sealed record HelpExample(string Code, string Remarks);

public sealed record HelpCommand(
    string Verb, string Noun, string Synopsis, string Description, IReadOnlyList<HelpParameter> Parameters,
    IReadOnlyList<string> Outputs, IReadOnlyList<HelpExample> Examples, string? DefaultSet, bool SupportsShouldProcess = false)
{
    public string Name => $"{Verb}-{Noun}";

    /// <summary>Every cmdlet name the help text mentions (Verb-SfNoun), in order of first mention.</summary>
    public IEnumerable<string> Mentions() =>
        System.Text.RegularExpressions.Regex.Matches(
                string.Join(" ", new[] { Synopsis, Description }.Concat(Parameters.Select(p => p.Description)).Concat(Examples.SelectMany(e => new[] { e.Code, e.Remarks }))),
                @"\b[A-Z][a-z]+-Sf[A-Za-z]+\b")
            .Select(m => m.Value).Distinct();

    public IEnumerable<string> Missing()
    {
        if (string.IsNullOrWhiteSpace(Synopsis)) yield return Name;
        foreach (var p in Parameters.Where(p => !p.Hidden && string.IsNullOrWhiteSpace(p.Description))) yield return $"{Name} -{p.Name}";
    }
}

/// <summary>Cmdlets, their parameters and their help text, read as metadata (the DLL is never loaded to run).</summary>
public static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<HelpCommand> Read(string assemblyPath, string xmlDocPath, string smaPath)
    {
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")) files[Path.GetFileName(f)] = f;
        // The module folder, and its dependencies/ where the client and third-party libraries live.
        var moduleFolder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        foreach (var folder in new[] { moduleFolder, Path.Combine(moduleFolder, "dependencies") }.Where(Directory.Exists))
            foreach (var f in Directory.GetFiles(folder, "*.dll")) files[Path.GetFileName(f)] = f;
        files["System.Management.Automation.dll"] = smaPath;
        using var context = new MetadataLoadContext(new PathAssemblyResolver(files.Values));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        var docs = XDocument.Load(xmlDocPath).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m);

        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && Attribute(t, "CmdletAttribute") is not null)
            .Select(t => ReadCommand(t, docs))
            .OrderBy(c => c.Noun, StringComparer.Ordinal).ThenBy(c => c.Verb, StringComparer.Ordinal)
            .ToList();
    }

    private static HelpCommand ReadCommand(Type type, Dictionary<string, XElement> docs)
    {
        var cmdlet = Attribute(type, "CmdletAttribute")!;
        var doc = docs.GetValueOrDefault("T:" + type.FullName);
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Attribute(p, "ParameterAttribute") is not null)
            .Select(p => ReadParameter(p, docs))
            .OrderBy(p => p.Position == "named" ? int.MaxValue : int.Parse(p.Position))
            .ThenBy(p => p.Name == "Session" ? 1 : 0)
            .ToList();
        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(a => ((Type)a.Value!).FullName!)
            .Where(n => n != "System.Void")
            .ToList();
        var examples = doc?.Elements("example").Select(e => new HelpExample(Text(e.Element("code")), Text(e.Element("para")))).ToList() ?? [];
        return new HelpCommand(
            (string)cmdlet.ConstructorArguments[0].Value!, (string)cmdlet.ConstructorArguments[1].Value!,
            Para(doc, "synopsis"), Para(doc, "description"), parameters, outputs, examples,
            cmdlet.NamedArguments.Where(a => a.MemberName == "DefaultParameterSetName").Select(a => (string?)a.TypedValue.Value).FirstOrDefault(),
            cmdlet.NamedArguments.Any(a => a.MemberName == "SupportsShouldProcess" && a.TypedValue.Value is true));
    }

    private static HelpParameter ReadParameter(PropertyInfo property, Dictionary<string, XElement> docs)
    {
        var attributes = property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
        T Named<T>(CustomAttributeData a, string name) => a.NamedArguments.Where(n => n.MemberName == name).Select(n => (T)n.TypedValue.Value!).FirstOrDefault()!;
        var position = attributes.Select(a => a.NamedArguments.Any(n => n.MemberName == "Position") ? Named<int>(a, "Position") : -1).Max();
        var aliases = Attribute(property, "AliasAttribute")?.ConstructorArguments[0].Value is IEnumerable<CustomAttributeTypedArgument> list
            ? list.Select(a => (string)a.Value!).ToList() : [];
        var doc = docs.GetValueOrDefault($"P:{DocName(property.DeclaringType!)}.{property.Name}");
        var description = Para(doc, "description");
        var declared = Attribute(property, "PSDefaultValueAttribute")?.NamedArguments
            .Where(a => a.MemberName is "Help" or "Value").OrderBy(a => a.MemberName == "Help" ? 0 : 1).Select(a => a.TypedValue.Value?.ToString()).FirstOrDefault();
        return new HelpParameter(
            property.Name, ShortName(property.PropertyType), property.PropertyType.FullName ?? property.PropertyType.Name, description,
            attributes.Any(a => Named<bool>(a, "Mandatory")), position < 0 ? "named" : position.ToString(),
            attributes.Any(a => Named<bool>(a, "ValueFromPipeline")), attributes.Any(a => Named<bool>(a, "ValueFromPipelineByPropertyName")),
            Attribute(property, "SupportsWildcardsAttribute") is not null, aliases,
            attributes.Select(a => Named<string>(a, "ParameterSetName") ?? "__AllParameterSets").Distinct().ToList(),
            attributes.Any(a => Named<bool>(a, "DontShow")))
        {
            DefaultValue = declared ?? DefaultIn(description),
        };
    }

    /// <summary>What a description gives as the default: "(default 4)", "default: 00:30:00", "Default: the cluster's"; up to ; ) or the sentence's end.</summary>
    public static string? DefaultIn(string description)
    {
        var match = System.Text.RegularExpressions.Regex.Match(description, @"\b[Dd]efault(?: is)?:?\s+(?<value>[^;)]+?)(?=[;)]|\.(?:\s|$)|$)");
        return match.Success ? match.Groups["value"].Value.Trim() : null;
    }

    /// <summary>The id XML doc comments use for a type: generic bases appear as Name`1.</summary>
    private static string DocName(Type type) =>
        type.IsGenericType ? type.GetGenericTypeDefinition().FullName! : type.FullName!;

    private static string ShortName(Type type)
    {
        if (type.IsArray) return ShortName(type.GetElementType()!) + "[]";
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") return ShortName(type.GetGenericArguments()[0]);
        return type.FullName == Sma + "SwitchParameter" ? "SwitchParameter" : type.Name;
    }

    private static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static string Para(XElement? doc, string kind) =>
        string.Join(Environment.NewLine, doc?.Descendants("para").Where(p => (string?)p.Attribute("type") == kind).Select(Text) ?? []);

    private static string Text(XElement? element) =>
        element is null ? "" : string.Join(" ", element.Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
