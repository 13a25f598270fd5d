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
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
    }

    private static XElement Paras(XName name, string text) =>
        new(name, text.Split(Environment.NewLine).Where(t => t.Length > 0).Select(t => new XElement(Maml + "para", t)));

    private static XElement CommandElement(HelpCommand c) => new(Command + "command",
        new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
        new XElement(Command + "details",
            new XElement(Command + "name", c.Name),
            new XElement(Command + "verb", c.Verb),
            new XElement(Command + "noun", c.Noun),
            Paras(Maml + "description", c.Synopsis)),
        Paras(Maml + "description", c.Description),
        new XElement(Command + "syntax", Sets(c).Select(set => new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", c.Name),
            c.Parameters.Where(p => !p.Hidden && (p.Sets.Contains(set) || p.Sets.Contains("__AllParameterSets"))).Select(p => Parameter(p, withDescription: false))))),
        new XElement(Command + "parameters", c.Parameters.Where(p => !p.Hidden).Select(p => Parameter(p, withDescription: true))),
        new XElement(Command + "returnValues", c.Outputs.Select(o => new XElement(Command + "returnValue",
            new XElement(Dev + "type", new XElement(Maml + "name", o))))),
        new XElement(Command + "examples", c.Examples.Select((e, i) => new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(Dev + "code", e.Code),
            Paras(Dev + "remarks", e.Remarks)))));

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
        return element;
    }
}
