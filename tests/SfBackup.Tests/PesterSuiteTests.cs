using System.Diagnostics;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Runs tests/Pester against the built module folder in the pwsh that .config/dotnet-tools.json pins (restored by
/// the build of this project), with Pester imported by path from its NuGet package. Nothing global is used, and
/// the suite is never skipped: a missing engine or Pester is a failure.
/// </summary>
public sealed class PesterSuiteTests
{
    [Fact]
    public async Task Pester_suite_passes_against_the_built_module()
    {
        Assert.True(File.Exists(TestPaths.PesterModule), $"Pester is not at {TestPaths.PesterModule}: run dotnet restore.");
        Directory.CreateDirectory(Path.GetDirectoryName(TestPaths.PesterSummary)!);
        File.Delete(TestPaths.PesterSummary);

        var result = await Pwsh.RunFileAsync(Path.Combine(TestPaths.RepoRoot, "tests", "Pester", "Invoke-SfPester.ps1"),
            ["-ModuleFolder", TestPaths.ModuleDir, "-EmulatorAssembly", TestPaths.EmulatorAssembly,
             "-PesterModule", TestPaths.PesterModule, "-SummaryPath", TestPaths.PesterSummary,
             "-NuGetPackageRoot", TestPaths.NuGetPackageRoot],
            TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, $"Pester failed (exit {result.ExitCode}).\n{result.Output}\n{result.Error}");
        var counts = File.ReadAllText(TestPaths.PesterSummary).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        // Shown by dotnet test (xunit.runner.json turns diagnostic messages on): the suite's own count, not one test.
        TestContext.Current.SendDiagnosticMessage($"Pester suite: {counts[0]} of {counts[3]} passed, {counts[1]} failed, {counts[2]} skipped");
        Assert.True(counts[0] > 0, "The Pester run passed no test.");
        Assert.Equal(0, counts[1]);
    }
}
