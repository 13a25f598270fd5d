using System.Xml.Linq;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>The MAML help the build writes into the module folder: what Get-Help shows.</summary>
public sealed class HelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly Lazy<Dictionary<string, XElement>> Commands = new(() =>
    {
        var file = Path.Combine(TestPaths.ModuleDir, "en-US", "SfBackup.PowerShell.dll-Help.xml");
        Assert.True(File.Exists(file), $"No help at {file}");
        return XDocument.Load(file).Root!.Elements(Command + "command")
            .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
    });

    public static TheoryData<string> Exported() =>
        new(ModuleMetadata.ManifestCmdlets(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "SfBackup.psd1"))));

    [Fact]
    public void Help_covers_exactly_the_exported_cmdlets() =>
        Assert.Equal(Exported().Select(r => (string)r.Data).Order(), Commands.Value.Keys.Order());

    [Theory]
    [MemberData(nameof(Exported))]
    public void Each_cmdlet_has_a_synopsis_a_description_and_described_parameters(string name)
    {
        var command = Commands.Value[name];
        var synopsis = command.Element(Command + "details")!.Element(Maml + "description")!.Value;
        var description = command.Element(Maml + "description")!.Value;

        Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{name} has no synopsis");
        Assert.False(string.IsNullOrWhiteSpace(description), $"{name} has no description");
        foreach (var parameter in command.Element(Command + "parameters")!.Elements(Command + "parameter"))
        {
            var parameterName = parameter.Element(Maml + "name")!.Value;
            Assert.False(string.IsNullOrWhiteSpace(parameter.Element(Maml + "description")?.Value), $"{name} -{parameterName} has no description");
            Assert.NotEqual("ServiceKind", parameterName);
        }
    }

    [Theory]
    [InlineData("Restore-SfPartition", "PartitionId", "True (ByValue, ByPropertyName)", "true", "0")]
    [InlineData("Restore-SfPartition", "BackupId", "True (ByPropertyName)", "true", "named")]
    [InlineData("Get-SfBackupPolicy", "Name", "True (ByValue, ByPropertyName)", "false", "0")]
    [InlineData("Connect-SfCluster", "TimeoutSec", "False", "false", "named")]
    public void Parameters_show_how_they_bind(string cmdlet, string parameter, string pipeline, string required, string position)
    {
        var element = Commands.Value[cmdlet].Element(Command + "parameters")!.Elements(Command + "parameter")
            .Single(p => p.Element(Maml + "name")!.Value == parameter);

        Assert.Equal(pipeline, (string)element.Attribute("pipelineInput")!);
        Assert.Equal(required, (string)element.Attribute("required")!);
        Assert.Equal(position, (string)element.Attribute("position")!);
    }

    [Fact]
    public void Wildcards_and_aliases_are_shown()
    {
        var name = Commands.Value["Get-SfBackupPolicy"].Element(Command + "parameters")!.Elements(Command + "parameter")
            .Single(p => p.Element(Maml + "name")!.Value == "Name");
        Assert.Equal("true", (string)name.Attribute("globbing")!);
        Assert.Equal("PolicyName, BackupPolicyName", (string)name.Attribute("aliases")!);
    }

    [Theory]
    [InlineData("New-SfBackupPolicy", 2)]
    [InlineData("New-SfBackupStorage", 4)]
    [InlineData("Get-SfBackup", 2)]
    [InlineData("Set-SfBackupPolicy", 3)]
    [InlineData("Resume-SfPartitionBackup", 1)]
    public void One_syntax_block_per_parameter_set(string cmdlet, int sets) =>
        Assert.Equal(sets, Commands.Value[cmdlet].Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());

    [Theory]
    [InlineData("Restore-SfPartition", "Restore-SfPartition -WhatIf")]
    [InlineData("New-SfBackupPolicy", "-Interval '04:00:00'")]
    [InlineData("Enable-SfPartitionBackup", "Get-SfPartition -ServiceName")]
    [InlineData("Connect-SfCluster", "Connect-SfCluster")]
    public void Key_cmdlets_carry_examples(string cmdlet, string fragment)
    {
        var examples = Commands.Value[cmdlet].Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.NotEmpty(examples);
        Assert.Contains(examples, e => e.Element(Dev + "code")!.Value.Contains(fragment));
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "remarks")?.Value)));
    }

    [Fact]
    public void Outputs_name_the_output_types()
    {
        var outputs = Commands.Value["Get-SfBackup"].Element(Command + "returnValues")!.Descendants(Maml + "name").Select(e => e.Value);
        Assert.Equal(["SfBackup.Client.Models.BackupInfo"], outputs);
    }
}
