using System.Xml.Linq;

namespace SfBackup.HelpGen;

/// <summary>Writes MAML, the help format Get-Help reads for binary modules.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IReadOnlyList<HelpCommand> commands, string path)
    {
        var names = new HashSet<string>(commands.Select(c => c.Name), StringComparer.Ordinal);
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(c => CommandElement(c, names)));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
    }

    /// <summary>-WhatIf and -Confirm, which PowerShell adds to every SupportsShouldProcess cmdlet: shown in the syntax and described.</summary>
    private static readonly HelpParameter[] ShouldProcessParameters =
    [
        new("WhatIf", "SwitchParameter", "System.Management.Automation.SwitchParameter",
            "Shows what the cmdlet would change, and changes nothing: no state change is sent to the cluster.", false, "named", false, false, false, ["wi"], ["__AllParameterSets"], false)
        { DefaultValue = "False" },
        new("Confirm", "SwitchParameter", "System.Management.Automation.SwitchParameter",
            "Asks before each change. -Confirm:$false never asks, also for High impact changes.", false, "named", false, false, false, ["cf"], ["__AllParameterSets"], false)
        { DefaultValue = "False" },
    ];

    private static IEnumerable<HelpParameter> Shown(HelpCommand c) =>
        c.Parameters.Where(p => !p.Hidden).Concat(c.SupportsShouldProcess ? ShouldProcessParameters : []);

    /// <summary>What the pipeline can give: the types taken by value, and the properties taken by name.</summary>
    private static IEnumerable<XElement> Inputs(HelpCommand c)
    {
        var byValue = c.Parameters.Where(p => !p.Hidden && p.ByValue).ToList();
        var byName = c.Parameters.Where(p => !p.Hidden && p.ByPropertyName).Select(p => p.Aliases.Count > 0 ? $"{p.Name} (or {string.Join(", ", p.Aliases)})" : p.Name).ToList();
        if (byValue.Count == 0 && byName.Count == 0)
        {
            yield return InputType("None", "This cmdlet takes no pipeline input.");
            yield break;
        }
        foreach (var p in byValue) yield return InputType(p.FullTypeName, $"Bound to -{p.Name}.");
        if (byName.Count > 0)
            yield return InputType("System.Management.Automation.PSObject", "Any object with these properties, bound by name: " + string.Join("; ", byName) + ".");
    }

    private static XElement InputType(string type, string description) =>
        new(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", type)), Paras(Maml + "description", description));

    /// <summary>The cmdlets its help text mentions, then those of the same noun, then the module's topic.</summary>
    private static IEnumerable<string> Related(HelpCommand c, HashSet<string> names) =>
        c.Mentions().Where(names.Contains)
            .Concat(names.Where(n => n.EndsWith("-" + c.Noun, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            .Where(n => n != c.Name).Distinct().Append("about_SfBackup");

    private static XElement Paras(XName name, string text) =>
        new(name, text.Split(Environment.NewLine).Where(t => t.Length > 0).Select(t => new XElement(Maml + "para", t)));

    private static XElement CommandElement(HelpCommand c, HashSet<string> names) => new(Command + "command",
        new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
        new XElement(Command + "details",
            new XElement(Command + "name", c.Name),
            new XElement(Command + "verb", c.Verb),
            new XElement(Command + "noun", c.Noun),
            Paras(Maml + "description", c.Synopsis)),
        Paras(Maml + "description", c.Description),
        new XElement(Command + "syntax", Sets(c).Select(set => new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", c.Name),
            Shown(c).Where(p => p.Sets.Contains(set) || p.Sets.Contains("__AllParameterSets")).Select(p => Parameter(p, withDescription: false))))),
        new XElement(Command + "parameters", Shown(c).Select(p => Parameter(p, withDescription: true))),
        new XElement(Command + "inputTypes", Inputs(c)),
        new XElement(Command + "returnValues", c.Outputs.Select(o => new XElement(Command + "returnValue",
            new XElement(Dev + "type", new XElement(Maml + "name", o))))),
        new XElement(Command + "examples", c.Examples.Select((e, i) => new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(Dev + "code", e.Code),
            Paras(Dev + "remarks", e.Remarks)))),
        new XElement(Maml + "relatedLinks", Related(c, names).Select(n => new XElement(Maml + "navigationLink",
            new XElement(Maml + "linkText", n), new XElement(Maml + "uri")))));

    /// <summary>
    /// Named parameter sets (the default one first, even when no parameter names it, as Get-SfBackup's
    /// entity set), or the one implicit set.
    /// </summary>
    private static IEnumerable<string> Sets(HelpCommand c)
    {
        var named = c.Parameters.SelectMany(p => p.Sets).Where(s => s != "__AllParameterSets").Distinct().ToList();
        if (named.Count == 0) return ["__AllParameterSets"];
        if (c.DefaultSet is { } first)
        {
            named.Remove(first);
            named.Insert(0, first);
        }
        return named;
    }

    private static XElement Parameter(HelpParameter p, bool withDescription)
    {
        var pipeline = p.ByValue || p.ByPropertyName
            ? $"True ({string.Join(", ", new[] { p.ByValue ? "ByValue" : null, p.ByPropertyName ? "ByPropertyName" : null }.Where(x => x is not null))})"
            : "False";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("position", p.Position),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name));
        if (withDescription) element.Add(Paras(Maml + "description", p.Description));
        if (p.TypeName != "SwitchParameter") element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), p.TypeName));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.FullTypeName)));
        element.Add(new XElement(Dev + "defaultValue", p.DefaultValue ?? (p.TypeName == "SwitchParameter" ? "False" : "None")));
        return element;
    }
}
