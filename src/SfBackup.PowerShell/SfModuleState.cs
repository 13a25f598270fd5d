using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using SfBackup.Client.Session;

namespace SfBackup.PowerShell
{
    /// <summary>
    /// The module's default connection. A process-wide holder rather than a session-state variable, so a
    /// Connect-SfCluster inside a function or a dot-sourced script still sets it for the caller.
    /// </summary>
    public static class SfModuleState
    {
        private static SfClusterConnection? _default;

        public static SfClusterConnection? DefaultSession
        {
            get => System.Threading.Volatile.Read(ref _default);
            set => System.Threading.Volatile.Write(ref _default, value);
        }
    }

    /// <summary>
    /// On import. Windows PowerShell 5.1 has no System.Text.Json and no binding redirects for the module's
    /// dependencies, so it gets an AssemblyResolve hook that loads them from the module folder. PowerShell 7.4+
    /// already holds System.Text.Json 8 and its dependencies; nothing is hooked there.
    /// </summary>
    public sealed class SfModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(SfModuleInitializer).Assembly.Location) ?? ".";
        private static bool _hooked;

        public void OnImport()
        {
            if (_hooked || !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) return;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            _hooked = true;
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (_hooked) AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
            _hooked = false;
            SfModuleState.DefaultSession?.Dispose();
            SfModuleState.DefaultSession = null;
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var candidate = Path.Combine(ModuleFolder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            var found = AssemblyName.GetAssemblyName(candidate);
            // Only step in to satisfy a request for the same or a lower version than the one we ship.
            return found.Version >= (name.Version ?? new Version(0, 0)) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
