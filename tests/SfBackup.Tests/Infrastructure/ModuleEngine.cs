using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// A real PowerShell engine in this process (Microsoft.PowerShell.SDK, the engine pwsh 7.6.9 ships), with the built
/// module folder imported by its manifest, as a user imports it. For what a script cannot control exactly: Stop()
/// mid-call, prompts through a recording host, completion, formatting, runspaces side by side.
/// </summary>
public static class ModuleEngine
{
    public static string Manifest => Path.Combine(TestPaths.ModuleDir, "SfBackup.psd1");

    private static InitialSessionState SessionState()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([Manifest]);
        return state;
    }

    /// <summary>An open runspace with SfBackup imported (and a custom host, for prompt tests).</summary>
    public static Runspace Open(PSHost? host = null)
    {
        var runspace = host is null ? RunspaceFactory.CreateRunspace(SessionState()) : RunspaceFactory.CreateRunspace(host, SessionState());
        runspace.Open();
        return runspace;
    }

    /// <summary>
    /// A runspace with SfBackup imported and nothing else (no language, no built-in modules): a fraction of the cost,
    /// for tests that open hundreds. Drive it with <see cref="PowerShell.AddCommand(string)"/>, not scripts.
    /// </summary>
    public static Runspace OpenBare()
    {
        var state = InitialSessionState.Create();
        state.ImportPSModule([Manifest]);
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }

    /// <summary>Runs a script in <paramref name="runspace"/>; output and the error stream come back, terminating errors throw.</summary>
    public static Outcome Run(Runspace runspace, string script, IDictionary? parameters = null)
    {
        using var ps = PowerShell.Create(runspace);
        ps.AddScript(script);
        if (parameters is not null) ps.AddParameters(parameters);
        var output = ps.Invoke();
        return new Outcome(output, [.. ps.Streams.Error], [.. ps.Streams.Warning.Select(w => w.Message)]);
    }

    public sealed record Outcome(Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Warnings)
    {
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId);

        /// <summary>Fails the test with the errors' text when there were any.</summary>
        public Outcome ThrowIfErrors()
        {
            Assert.True(Errors.Count == 0, string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            return this;
        }
    }
}
