using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SfBackup.Loader
{
    /// <summary>
    /// Runs when PowerShell imports this nested module, before SfBackup.PowerShell.dll. The module folder holds the
    /// cmdlet assembly (which references only System.Management.Automation, the BCL and SfBackup.Client) and a
    /// dependencies/ folder with the client and every third-party library. On PowerShell 7 the client is loaded into
    /// one private AssemblyLoadContext, which then serves the client's own dependencies from that folder
    /// (<see cref="SfLoadContext"/>). On Windows PowerShell 5.1, which has no load contexts, an AssemblyResolve hook
    /// serves the same files.
    /// </summary>
    public sealed class SfDependencyLoader : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static bool _hooked;

        /// <summary>Where the client and its dependencies are shipped.</summary>
        public static string DependencyFolder { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(SfDependencyLoader).Assembly.Location) ?? ".", "dependencies");

        private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        // Hooks stay for the life of the process: other runspaces may hold connections whose types need them.
        public void OnImport()
        {
            lock (Gate)
            {
                if (_hooked) return;
                if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                else HookLoadContext();
                _hooked = true;
            }
        }

        /// <summary>
        /// PowerShell 7 only. A method of its own, never inlined, so that compiling OnImport on Windows PowerShell 5.1
        /// never resolves SfLoadContext, whose base type (AssemblyLoadContext) .NET Framework does not have.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void HookLoadContext() => SfLoadContext.Hook(DependencyFolder);

        /// <summary>Windows PowerShell 5.1: a file from dependencies/ when it is the same or a later version than asked for.</summary>
        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var candidate = Path.Combine(DependencyFolder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            var found = AssemblyName.GetAssemblyName(candidate);
            return found.Version >= (name.Version ?? new Version(0, 0)) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
