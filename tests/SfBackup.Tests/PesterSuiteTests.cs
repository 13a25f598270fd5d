using System.Diagnostics;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Runs tests/Pester against the built module folder where pwsh exists. Where it does not (these build machines),
/// the test is reported as skipped — never as passed.
/// </summary>
public sealed class PesterSuiteTests
{
    private const int PesterMissing = 3;

    [Fact]
    public async Task Pester_suite_passes_against_the_built_module()
    {
        var pwsh = FindOnPath(OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
        if (pwsh is null) Assert.Skip("pwsh is not on PATH: the Pester suite in tests/Pester was not run.");

        var start = new ProcessStartInfo(pwsh)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-NoLogo", "-NoProfile", "-NonInteractive", "-File", Path.Combine(TestPaths.RepoRoot, "tests", "Pester", "Invoke-SfPester.ps1"),
                     "-ModuleFolder", TestPaths.ModuleDir, "-EmulatorAssembly", TestPaths.EmulatorAssembly,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The Pester suite did not finish within 10 minutes.");
        }

        if (process.ExitCode == PesterMissing) Assert.Skip("pwsh is here but Pester 5 is not installed: the Pester suite was not run.");
        Assert.True(process.ExitCode == 0, $"Pester failed (exit {process.ExitCode}).\n{await stdout}\n{await stderr}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
