using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
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
    /// <para>The runspace is the one running the calling pipeline (<see cref="Runspace.DefaultRunspace"/> on the
    /// pipeline thread). Entries live in a ConditionalWeakTable, so a runspace dropped without being closed does not
    /// keep its entry alive; one that closes disposes its default (and with it the HttpClient) at once.</para>
    /// <para>A runspace can also be reused with its state reset: ForEach-Object -Parallel does that between
    /// iterations, clearing every global variable. The default must not survive into the next iteration, which may be
    /// meant for another cluster. So Connect-SfCluster also writes the connection's id into the global variable
    /// <see cref="StampVariable"/>; a default whose stamp is gone (or changed) is treated as closed.</para>
    /// </remarks>
    public static class SfModuleState
    {
        /// <summary>The global variable that carries the default's ConnectionId while the runspace's state lives.</summary>
        public const string StampVariable = "SfBackupDefaultConnectionId";

        private sealed class Slot
        {
            public SfClusterConnection? Connection;
        }

        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();
        private static int _tracked;

        /// <summary>How many runspaces hold a default right now (released when each closes).</summary>
        public static int RunspacesWithDefault => Volatile.Read(ref _tracked);

        /// <summary>
        /// The calling runspace's default, or null when it has none, when no runspace runs this thread, or when the
        /// runspace's state was reset since Connect-SfCluster (then the old default is closed here). Without
        /// <paramref name="state"/> (argument completers have none) the reset is not checked.
        /// </summary>
        public static SfClusterConnection? Get(SessionState? state)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || !Slots.TryGetValue(runspace, out var slot)) return null;
            SfClusterConnection? current;
            lock (slot) current = slot.Connection;
            if (current == null || state == null || IsStamped(state, current)) return current;
            Release(slot, current);
            return null;
        }

        /// <summary>
        /// Makes <paramref name="connection"/> the calling runspace's default (null clears it) and returns the previous
        /// one, which the caller disposes when it is not the same object. The stamp is written through
        /// <paramref name="state"/> when there is one.
        /// </summary>
        public static SfClusterConnection? Exchange(SessionState? state, SfClusterConnection? connection)
        {
            var runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace is running on this thread.");
            var slot = Slots.GetValue(runspace, Track);
            SfClusterConnection? previous;
            lock (slot)
            {
                previous = slot.Connection;
                if (previous == null && connection != null) Interlocked.Increment(ref _tracked);
                if (previous != null && connection == null) Interlocked.Decrement(ref _tracked);
                slot.Connection = connection;
            }
            state?.PSVariable.Set("global:" + StampVariable, connection?.ConnectionId);
            return previous;
        }

        private static bool IsStamped(SessionState state, SfClusterConnection connection)
        {
            var stamp = state.PSVariable.GetValue("global:" + StampVariable);
            return (stamp is PSObject wrapped ? wrapped.BaseObject : stamp) is Guid id && id == connection.ConnectionId;
        }

        private static Slot Track(Runspace runspace)
        {
            var slot = new Slot();
            // The handler holds the slot, not the runspace: the table's entry still goes with the runspace.
            runspace.StateChanged += (_, e) =>
            {
                var state = e.RunspaceStateInfo.State;
                if (state == RunspaceState.Closed || state == RunspaceState.Broken) Release(slot, null);
            };
            return slot;
        }

        /// <summary>
        /// Takes the slot's default out (only if it is still <paramref name="expected"/>, when one is given), counts it
        /// released and closes it.
        /// </summary>
        private static void Release(Slot slot, SfClusterConnection? expected)
        {
            SfClusterConnection? closing;
            lock (slot)
            {
                closing = slot.Connection;
                if (closing == null || (expected != null && !ReferenceEquals(closing, expected))) return;
                slot.Connection = null;
            }
            Interlocked.Decrement(ref _tracked);
            closing.Dispose();
        }
    }

    /// <summary>
    /// Removing the module from a runspace closes that runspace's default connection, and no other. (Loading the
    /// module's dependencies is SfBackup.Loader's work: it has to happen before PowerShell inspects these cmdlets.)
    /// </summary>
    public sealed class SfModuleCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => SfModuleState.Exchange(psModuleInfo.SessionState, null)?.Dispose();
    }
}
