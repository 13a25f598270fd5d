using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using SfBackup.Client.Session;

namespace SfBackup.PowerShell
{
    /// <summary>
    /// The module's default connection, one per runspace. Not a session-state variable: a Connect-SfCluster inside a
    /// function or a dot-sourced script must still set it for the whole runspace. Not process-wide either: parallel
    /// runspaces (ForEach-Object -Parallel, Start-ThreadJob, runbook pools) each connect to their own cluster, and one
    /// must never send its requests to another's. A runspace that never connected has no default.
    /// </summary>
    /// <remarks>
    /// The runspace is the one running the calling pipeline (<see cref="Runspace.DefaultRunspace"/> on the pipeline
    /// thread). Entries live in a ConditionalWeakTable, so a runspace that is dropped without being closed does not
    /// keep its entry alive; one that closes disposes its default (and with it the HttpClient) at once.
    /// </remarks>
    public static class SfModuleState
    {
        private sealed class Slot
        {
            public SfClusterConnection? Connection;
        }

        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();
        private static int _tracked;

        /// <summary>The calling runspace's default, or null when it has none (or no runspace is running this thread).</summary>
        public static SfClusterConnection? DefaultSession => Get(Runspace.DefaultRunspace);

        /// <summary>How many runspaces hold a default right now (released when each closes).</summary>
        public static int RunspacesWithDefault => Volatile.Read(ref _tracked);

        public static SfClusterConnection? Get(Runspace? runspace)
        {
            if (runspace == null || !Slots.TryGetValue(runspace, out var slot)) return null;
            lock (slot) return slot.Connection;
        }

        /// <summary>
        /// Makes <paramref name="connection"/> the calling runspace's default (null clears it) and returns the previous
        /// one, which the caller disposes when it is not the same object.
        /// </summary>
        public static SfClusterConnection? Exchange(SfClusterConnection? connection)
        {
            var runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace is running on this thread.");
            var slot = Slots.GetValue(runspace, Track);
            lock (slot)
            {
                var previous = slot.Connection;
                if (previous == null && connection != null) Interlocked.Increment(ref _tracked);
                if (previous != null && connection == null) Interlocked.Decrement(ref _tracked);
                slot.Connection = connection;
                return previous;
            }
        }

        private static Slot Track(Runspace runspace)
        {
            var slot = new Slot();
            // The handler holds the slot, not the runspace: the table's entry still goes with the runspace.
            runspace.StateChanged += (_, e) =>
            {
                var state = e.RunspaceStateInfo.State;
                if (state != RunspaceState.Closed && state != RunspaceState.Broken) return;
                SfClusterConnection? closing;
                lock (slot)
                {
                    closing = slot.Connection;
                    slot.Connection = null;
                }
                if (closing == null) return;
                Interlocked.Decrement(ref _tracked);
                closing.Dispose();
            };
            return slot;
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
            // Removing the module from this runspace closes this runspace's default, and no other.
            SfModuleState.Exchange(null)?.Dispose();
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
