using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;

namespace SfBackup.PowerShell
{
    /// <summary>
    /// The one base class of cmdlets that talk to a cluster: resolves -Session (or the calling runspace's default), cancels the
    /// call in flight on Ctrl+C (StopProcessing), bridges async to the pipeline thread, forwards the transport's
    /// trace to -Verbose on that thread, and turns client failures into ErrorRecords.
    /// </summary>
    public abstract class SfCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _trace = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<ProgressRecord> _progress = new ConcurrentQueue<ProgressRecord>();

        /// <summary>How long the pipeline thread waits between two looks at what a call in flight has queued.</summary>
        protected const int PumpMilliseconds = 200;
        private SfBackupClient? _client;

        /// <summary>
        /// <para type="description">The connection to use, from Connect-SfCluster. Default: the connection Connect-SfCluster last made in this runspace.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public SfClusterConnection? Session { get; set; }

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>
        /// The client for this invocation (created on first use, after -Session is resolved). It traces each request
        /// only when -Verbose output is wanted: otherwise no call formats lines that PowerShell would drop.
        /// </summary>
        protected SfBackupClient Client => _client ??= new SfBackupClient(ResolveSession(), VerboseWanted() ? _trace.Enqueue : null);

        /// <summary>A client for another connection (a drill cluster), tracing into the same -Verbose stream.</summary>
        protected SfBackupClient ClientFor(SfClusterConnection connection) =>
            _client != null && ReferenceEquals(connection, _client.Connection) ? _client : new SfBackupClient(connection, VerboseWanted() ? _trace.Enqueue : null);

        protected override void StopProcessing() => _stopping.Cancel();

        private static bool _commonCodePrepared;

        /// <summary>
        /// MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name (.NET Framework ignores the
        /// flag). On the per-item path of a bulk run (binding a partition, ShouldProcess, the -ThrottleLimit window,
        /// writing an answer) it has the method compiled once, optimized, instead of three times as tiered
        /// compilation does with this assembly's code (quick, then instrumented, then optimized after 30 calls).
        /// That compiling took the CPU a first bulk run of 10,000 items needs, on a machine of two cores: it made
        /// the first run about 30 ms slower (bench/README.md, "bulk"). Connect-SfCluster compiles these methods in
        /// advance (<see cref="PrepareCommonCode"/>), so the first call does not wait for the optimizer.
        /// </summary>
        internal const System.Runtime.CompilerServices.MethodImplOptions HotPath = (System.Runtime.CompilerServices.MethodImplOptions)512;

        /// <summary>
        /// Compiles the code every partition command runs (this base, the partition bases, the binding of -PartitionId,
        /// the default connection's lookup): Connect-SfCluster calls it while its gateway read is on the wire, so the
        /// first command after it does not. Generic methods are left to their first call (they need their type
        /// arguments); a method that cannot be prepared is left to its first call too. Done once a process.
        /// </summary>
        public static void PrepareCommonCode()
        {
            if (_commonCodePrepared) return;
            _commonCodePrepared = true;
            foreach (var type in new[] { typeof(SfCmdlet), typeof(Cmdlets.PartitionCmdletBase), typeof(Cmdlets.PartitionActionCmdletBase),
                         typeof(Binding.PartitionIdTransformationAttribute), typeof(SfModuleState), typeof(SfErrors) })
            {
                foreach (var method in type.GetMethods(System.Reflection.BindingFlags.DeclaredOnly | System.Reflection.BindingFlags.Instance |
                             System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
                {
                    if (method.IsAbstract || method.ContainsGenericParameters) continue;
                    try
                    {
                        System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    }
                    catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is NotSupportedException)
                    {
                        // left to its first call
                    }
                }
            }
        }

        /// <summary>-Verbose (or -Verbose:$false) when it is bound, otherwise $VerbosePreference as the caller's scope has it.</summary>
        private bool VerboseWanted()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var bound)) return LanguagePrimitives.IsTrue(bound);
            var preference = GetVariableValue("VerbosePreference");
            if (preference is string text && Enum.TryParse<ActionPreference>(text, true, out var parsed)) preference = parsed;
            // Anything but "say nothing" (Continue, Inquire, Stop, Break, or a value PowerShell does not know) traces.
            return !(preference is ActionPreference value) || (value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore);
        }

        /// <summary>
        /// The engine disposes a cmdlet when its pipeline ends, also on a terminating error (-ErrorAction Stop):
        /// requests still in flight under -ThrottleLimit are abandoned then, as on Ctrl+C, not left running.
        /// </summary>
        public void Dispose()
        {
            _stopping.Cancel();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        protected SfClusterConnection ResolveSession()
        {
            var session = Session ?? SfModuleState.Get(SessionState);
            if (session == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No cluster connection in this runspace. Run Connect-SfCluster here first (with no -Endpoint it connects to the local emulator at http://127.0.0.1:19080), or pass -Session."),
                    "SfNoConnection", ErrorCategory.ConnectionError, null));
            }
            if (session!.IsDisposed)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ObjectDisposedException("SfClusterConnection", "This connection was closed, by Disconnect-SfCluster or with the runspace whose default it was. Run Connect-SfCluster again."),
                    "SfConnectionClosed", ErrorCategory.ConnectionError, session));
            }
            return session;
        }

        /// <summary>
        /// Runs one call for one pipeline item. A FabricError, a client-side timeout or an answer lost on the way
        /// becomes a non-terminating error whose target is the item, and the pipeline goes on; a cluster that takes
        /// no connection at all (every endpoint refused, even after retries) stops the command, since every further
        /// item would wait out the same retries.
        /// </summary>
        protected bool TryInvoke<T>(object target, string targetText, Func<SfBackupClient, CancellationToken, Task<T>> call, out T result) =>
            TryComplete(Start(call), target, targetText, out result);

        /// <summary>Starts a call; input it refuses before sending comes back as a faulted task, reported like any failure.</summary>
        private Task<T> Start<T>(Func<SfBackupClient, CancellationToken, Task<T>> call)
        {
            var client = Client;
            try
            {
                return call(client, StopToken);
            }
            catch (ArgumentException ex)
            {
                return Task.FromException<T>(ex);
            }
        }

        /// <summary>
        /// A failure that every further item would meet too (no gateway reachable, or a server that is not one): the
        /// command stops once for it instead of reporting it for each item.
        /// </summary>
        protected static bool RepeatsForEveryItem(Exception? ex) =>
            ex is SfNotGatewayException || (ex is SfConnectionException connection && !connection.IsTimeout && connection.Unreachable);

        /// <summary>
        /// Waits for a call already started (see -ThrottleLimit) with the same error handling as <see cref="TryInvoke"/>.
        /// </summary>
        protected bool TryComplete<T>(Task<T> task, object target, string targetText, out T result)
        {
            result = default!;
            try
            {
                // Wait in slices so verbose lines and progress queued by calls in flight are written as they
                // come, on this (the pipeline) thread.
                while (!Settled(task, PumpMilliseconds)) FlushTrace();
                result = task.GetAwaiter().GetResult();
                return true;
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (SfClientException ex) when (RepeatsForEveryItem(ex))
            {
                FlushTrace();
                ThrowTerminatingError(SfErrors.Record(ex, target, targetText));
            }
            catch (SfClientException ex)
            {
                WriteError(SfErrors.Record(ex, target, targetText));
            }
            catch (SfRefusedInputException ex)
            {
                Refuse(ex, target, targetText);
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, "SfInvalidArgument", ErrorCategory.InvalidArgument, target)
                {
                    ErrorDetails = new ErrorDetails($"{SfText.Clip(targetText)}: {ex.Message}"),
                });
            }
            finally
            {
                FlushTrace();
            }
            return false;
        }

        /// <summary>
        /// Input the client refused before sending: an error for this item, or, when the same input goes with every
        /// item (a -Storage, a time range), one terminating error, since every further item would be refused the same way.
        /// </summary>
        protected void Refuse(SfRefusedInputException ex, object? target, string targetText)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails($"{SfText.Clip(targetText)}: {ex.Message}") { RecommendedAction = ex.RecommendedAction },
            };
            if (ex.SameForEveryItem)
            {
                FlushTrace();
                ThrowTerminatingError(record);
            }
            WriteError(record);
        }

        /// <summary>Builds what a call needs (a pager, a request) where the client may refuse the input before anything is sent.</summary>
        protected bool TryBuild<T>(Func<SfBackupClient, T> build, object? target, string targetText, out T value)
        {
            try
            {
                value = build(Client);
                return true;
            }
            catch (SfRefusedInputException ex)
            {
                Refuse(ex, target, targetText);
                value = default!;
                return false;
            }
        }

        /// <summary>
        /// One state change on one entity: ShouldProcess (as ConfirmImpact High when the action says so), the call,
        /// and an SfActionResult when -PassThru.
        /// </summary>
        protected void RunAction(SfEntity entity, Cmdlets.SfAction action, SfOperation? namedOperation, bool passThru, Action<DateTime>? accepted = null)
        {
            if (!ConfirmAction(entity, action)) return;
            var sentUtc = DateTime.UtcNow;
            CompleteAction(entity, action, namedOperation, passThru, StartAction(entity, action), sentUtc, accepted);
        }

        /// <summary>ShouldProcess for an action, as ConfirmImpact High when the action says so.</summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected bool ConfirmAction(SfEntity entity, Cmdlets.SfAction action)
        {
            var target = entity.ToString();
            return action.HighImpact ? ShouldProcessHighImpact(target, action.Text, action.Force) : ShouldProcess(target, action.Text);
        }

        /// <summary>Sends an action's request without waiting for the answer.</summary>
        protected Task<SfResponse> StartAction(SfEntity entity, Cmdlets.SfAction action) =>
            Start((client, token) => action.SendOnce(client, entity, token));

        /// <summary>Waits for an action's answer, then -PassThru and the after-accept step; failures as in TryInvoke.</summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected void CompleteAction(SfEntity entity, Cmdlets.SfAction action, SfOperation? namedOperation, bool passThru, Task<SfResponse> sent,
            DateTime sentUtc, Action<DateTime>? accepted)
        {
            if (!TryComplete(sent, entity.Target, entity.ToString(), out var response)) return;
            if (passThru) WriteObject(new SfActionResult(action.OperationFor(entity, namedOperation).Name, entity, response.RequestId, DateTime.UtcNow));
            accepted?.Invoke(sentUtc);
        }

        /// <summary>
        /// Waits up to <paramref name="milliseconds"/> for a task to end, however it ends (its result or failure is
        /// read afterwards). Task.Wait spins briefly before it blocks, and needs no kernel event per call as the
        /// task's AsyncWaitHandle would.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected static bool Settled(Task task, int milliseconds = PumpMilliseconds)
        {
            try
            {
                return task.Wait(milliseconds);
            }
            catch (AggregateException)
            {
                return true;
            }
        }

        /// <summary>The text of a file the user named (a PowerShell path); one that cannot be read stops the command with <paramref name="errorId"/>.</summary>
        protected string ReadUserFile(string path, string errorId)
        {
            try
            {
                return System.IO.File.ReadAllText(GetUnresolvedProviderPathFromPSPath(path), System.Text.Encoding.UTF8);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, errorId, ErrorCategory.ReadError, path));
                throw;
            }
        }

        /// <summary>A catalog file (Get-SfBackupCatalog -CachePath): one that cannot be read, or is not a catalog, stops the command.</summary>
        protected System.Collections.Generic.List<BackupInfo> ReadCatalogFile(string path)
        {
            var text = ReadUserFile(path, "SfCatalogFileUnreadable");
            try
            {
                return SfBackupCatalog.FromJson(text);
            }
            catch (SfRefusedInputException ex)
            {
                Refuse(ex, path, GetUnresolvedProviderPathFromPSPath(path));
                throw;
            }
        }

        /// <summary>-WhatIf as bound, or else $WhatIfPreference: for cmdlets that output their plan instead of running it.</summary>
        protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
            return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        }

        /// <summary>
        /// ShouldProcess that behaves as ConfirmImpact High for this call only (e.g. Disable -CleanBackup): it asks
        /// unless -Confirm:$false, -Force, or $ConfirmPreference set to None; -WhatIf still only describes.
        /// </summary>
        protected bool ShouldProcessHighImpact(string target, string action, bool force)
        {
            if (!ShouldProcess(target, action)) return false;
            if (force || MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            var preference = GetVariableValue("ConfirmPreference") is ConfirmImpact p ? p : ConfirmImpact.High;
            // None: never ask. Low or Medium: ShouldProcess (declared Medium) has just asked; do not ask twice.
            if (preference == ConfirmImpact.None || preference <= ConfirmImpact.Medium) return true;
            return ShouldContinue($"{action} on {target}? This cannot be undone.", "Confirm");
        }

        /// <summary>
        /// Streams a paged answer page by page on the pipeline thread, honouring -First and -Skip (SupportsPaging):
        /// no further page is fetched once -First items are out. Failures are reported against <paramref name="target"/>.
        /// </summary>
        protected void WritePages<T>(SfPager<T> pager, object target, string targetText, Func<T, bool>? keep = null)
        {
            var paging = PagingParameters;
            var skip = paging?.Skip ?? 0;
            var first = paging != null && paging.First != ulong.MaxValue ? paging.First : ulong.MaxValue;
            ulong written = 0, seen = 0;
            while (pager.HasMore && written < first)
            {
                if (!TryInvoke(target, targetText, (_, token) => pager.NextPageAsync(token), out var page)) return;
                foreach (var item in page)
                {
                    if (keep != null && !keep(item)) continue;
                    seen++;
                    if (seen <= skip) continue;
                    if (written >= first) break;
                    WriteObject(item);
                    written++;
                }
            }
            if (paging != null && paging.IncludeTotalCount)
            {
                // Exact only when every page was read.
                WriteObject(paging.NewTotalCount(seen, pager.HasMore ? 0.0 : 1.0));
            }
        }

        /// <summary>Progress from any thread; written by <see cref="FlushTrace"/> on the pipeline thread.</summary>
        protected void QueueProgress(ProgressRecord record) => _progress.Enqueue(record);

        /// <summary>Writes what calls in flight queued (requests, statuses, retries, progress), on the pipeline thread.</summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected void FlushTrace()
        {
            while (_trace.TryDequeue(out var line)) WriteVerbose(line);
            while (_progress.TryDequeue(out var record)) WriteProgress(record);
        }
    }

    /// <summary>Client failures as ErrorRecords: id = the raw FabricError code, category by code and status.</summary>
    public static class SfErrors
    {
        public static ErrorCategory CategoryOf(SfErrorKind kind) =>
            (ErrorCategory)Enum.Parse(typeof(ErrorCategory), SfErrorCategories.NameOf(kind));

        public static ErrorRecord Record(SfClientException ex, object target, string targetText)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, CategoryOf(ex.Kind), target)
            {
                ErrorDetails = new ErrorDetails($"{SfText.Clip(targetText)}: {ex.Message}"),
            };
            record.ErrorDetails.RecommendedAction = Advice(ex);
            return record;
        }

        /// <summary>
        /// A backup or restore that ended in Failure or Timeout: the error id is the FailureError code the cluster
        /// gave (else SfBackupFailure, SfRestoreTimeout, ...), the target is the partition.
        /// </summary>
        public static ErrorRecord RunEnded(string run, string state, string? failureCode, string? failureMessage, object target, string targetText)
        {
            var message = $"The {run.ToLowerInvariant()} ended in {state}{(failureCode == null ? "" : $": {failureCode}")}{(string.IsNullOrEmpty(failureMessage) ? "" : $" ({failureMessage})")}.";
            return new ErrorRecord(new InvalidOperationException(message), failureCode ?? $"Sf{run}{state}",
                state == "Timeout" ? ErrorCategory.OperationTimeout : ErrorCategory.InvalidResult, target)
            {
                ErrorDetails = new ErrorDetails($"{targetText}: {message}"),
            };
        }

        /// <summary>
        /// The knob that helps with this failure, or null when none does (the message then says it all). The request
        /// id stays on the exception (SfClientException.RequestId) for the cluster's traces.
        /// </summary>
        internal static string? Advice(SfClientException ex)
        {
            switch (ex)
            {
                case SfConnectionException connection when connection.Advice != null:
                    return connection.Advice;
                case SfConnectionException connection when connection.IsTimeout:
                    return "No answer came in time: raise -RequestTimeoutSec (one answer) or -TotalTimeoutSec (all attempts) on Connect-SfCluster.";
                case SfConnectionException connection when connection.Unreachable:
                    return "No endpoint took the connection: check the address and port given to Connect-SfCluster -Endpoint.";
                case SfConnectionException _:
                    return null;
                case SfNotGatewayException _:
                    return "Check the address and port given to Connect-SfCluster -Endpoint: it must be the cluster's HTTP gateway (often port 19080).";
                case SfWaitTimeoutException _:
                    return "The run goes on in the cluster: follow it with Get-SfPartitionBackupProgress or Get-SfPartitionRestoreProgress, or wait longer with -WaitTimeoutSec.";
            }
            var fabric = ex as SfFabricException;
            switch (fabric?.ErrorCode)
            {
                case "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING":
                case "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS": return "A policy of this name exists: change it with Set-SfBackupPolicy, or pick another name.";
                case "FABRIC_E_BACKUP_IN_PROGRESS":
                case "FABRIC_E_RESTORE_IN_PROGRESS": return "Wait for the run in progress to end (its progress cmdlet shows it), then try again.";
                case "FABRIC_E_TIMEOUT": return "The cluster did not finish within its server timeout: raise -TimeoutSec on Connect-SfCluster.";
            }
            switch (ex.Kind)
            {
                case SfErrorKind.NotFound: return "Check the name or id, and that backup is enabled where the operation needs it.";
                case SfErrorKind.Unavailable: return "The cluster is not ready (reconfiguring, or a service is starting): try again later, or raise -RetryCount on Connect-SfCluster.";
                case SfErrorKind.Timeout: return "The cluster did not finish within its server timeout: raise -TimeoutSec on Connect-SfCluster.";
                default: return null;
            }
        }
    }
}
