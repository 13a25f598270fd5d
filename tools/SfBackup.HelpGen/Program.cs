using SfBackup.HelpGen;

// dotnet SfBackup.HelpGen.dll --assembly <cmdlets.dll> --xmldoc <cmdlets.xml> --sma <System.Management.Automation.dll> --out <help.xml>
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
foreach (var required in new[] { "assembly", "xmldoc", "sma", "out" })
{
    if (!options.ContainsKey(required))
    {
        Console.Error.WriteLine("usage: SfBackup.HelpGen --assembly <dll> --xmldoc <xml> --sma <System.Management.Automation.dll> --out <help.xml>");
        return 2;
    }
}

var commands = CmdletReader.Read(options["assembly"], options["xmldoc"], options["sma"]);
var missing = commands.SelectMany(c => c.Missing()).ToList();
foreach (var gap in missing) Console.Error.WriteLine($"SfBackup.HelpGen: warning: no help text for {gap}");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options["out"]))!);
MamlWriter.Write(commands, options["out"]);
Console.WriteLine($"SfBackup.HelpGen: {commands.Count} cmdlets -> {options["out"]}");
return 0;
