using System.Reflection;

namespace SfBackup.Tests.Infrastructure;

/// <summary>Paths the build baked into this assembly (see the csproj): the module folder, the repo, the SMA reference.</summary>
public static class TestPaths
{
    private static string Get(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");

    public static string ModuleDir => Path.GetFullPath(Get("SfModuleDir"));

    /// <summary>The module's private dependencies: the client and every third-party library.</summary>
    public static string DependencyDir => Path.Combine(ModuleDir, "dependencies");
    public static string RepoRoot => Path.GetFullPath(Get("SfRepoRoot"));
    public static string SmaReference => Path.GetFullPath(Get("SmaReference"));
    public static string PowerShellDocXml => Path.GetFullPath(Get("PowerShellDocXml"));
    public static string EmulatorAssembly => Path.GetFullPath(Get("EmulatorAssembly"));
    public static string PesterModule => Path.GetFullPath(Get("PesterModule"));
    public static string NuGetPackageRoot => Path.GetFullPath(Get("NuGetPackageRoot"));

    /// <summary>Where the Pester run leaves its counts for .ci/run ("passed failed skipped total").</summary>
    public static string PesterSummary => Path.Combine(RepoRoot, "artifacts", "test-results", "pester-summary.txt");
}
