using System.Diagnostics;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// The pwsh of the PowerShell .NET tool pinned in .config/dotnet-tools.json, run as `dotnet tool run pwsh` from
/// the repository root, so a machine with only the .NET SDK runs the same engine as everyone else.
/// </summary>
public static class Pwsh
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunFileAsync(string script, IEnumerable<string> arguments, TimeSpan limit, CancellationToken cancellation)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "pwsh", "--", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments))
            start.ArgumentList.Add(arg);
        // Colour codes make the captured output unreadable in a test log.
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, await stdout, $"pwsh did not finish within {limit}.\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
