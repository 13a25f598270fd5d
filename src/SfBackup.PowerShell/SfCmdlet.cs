using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;

namespace SfBackup.PowerShell
{
    /// <summary>
    /// The one base class of cmdlets that talk to a cluster: resolves -Session (or the module default), cancels the
    /// call in flight on Ctrl+C (StopProcessing), bridges async to the pipeline thread, forwards the transport's
    /// trace to -Verbose on that thread, and turns client failures into ErrorRecords.
    /// </summary>
    public abstract class SfCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _trace = new ConcurrentQueue<string>();
        private SfBackupClient? _client;

        /// <summary>
        /// <para type="description">The connection to use, from Connect-SfCluster. Default: the module's current connection.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public SfClusterConnection? Session { get; set; }

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>The client for this invocation (created on first use, after -Session is resolved).</summary>
        protected SfBackupClient Client => _client ??= new SfBackupClient(ResolveSession(), _trace.Enqueue);

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        protected SfClusterConnection ResolveSession()
        {
            var session = Session ?? SfModuleState.DefaultSession;
            if (session == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No cluster connection. Run Connect-SfCluster first (with no -Endpoint it connects to the local emulator at http://127.0.0.1:19080), or pass -Session."),
                    "SfNoConnection", ErrorCategory.ConnectionError, null));
            }
            if (session!.IsDisposed)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ObjectDisposedException("SfClusterConnection", "This connection was closed by Disconnect-SfCluster. Run Connect-SfCluster again."),
                    "SfConnectionClosed", ErrorCategory.ConnectionError, session));
            }
            return session;
        }

        /// <summary>
        /// Runs one call for one pipeline item. A FabricError (or a client-side timeout) becomes a non-terminating
        /// error whose target is the item, and the pipeline goes on; no answer at all from any endpoint stops the
        /// command, since every further item would wait out the same retries.
        /// </summary>
        protected bool TryInvoke<T>(object target, string targetText, Func<SfBackupClient, CancellationToken, Task<T>> call, out T result)
        {
            result = default!;
            var client = Client;
            try
            {
                result = call(client, StopToken).GetAwaiter().GetResult();
                return true;
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (SfConnectionException ex) when (!ex.IsTimeout)
            {
                FlushTrace();
                ThrowTerminatingError(SfErrors.Record(ex, target, targetText));
            }
            catch (SfClientException ex)
            {
                WriteError(SfErrors.Record(ex, target, targetText));
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, "SfInvalidArgument", ErrorCategory.InvalidArgument, target)
                {
                    ErrorDetails = new ErrorDetails($"{targetText}: {ex.Message}"),
                });
            }
            finally
            {
                FlushTrace();
            }
            return false;
        }

        /// <summary>Writes what the transport traced (requests, statuses, retries) as verbose output, on the pipeline thread.</summary>
        protected void FlushTrace()
        {
            while (_trace.TryDequeue(out var line)) WriteVerbose(line);
        }
    }

    /// <summary>Client failures as ErrorRecords: id = the raw FabricError code, category by code and status.</summary>
    public static class SfErrors
    {
        public static ErrorCategory CategoryOf(SfErrorKind kind)
        {
            switch (kind)
            {
                case SfErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case SfErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case SfErrorKind.Busy: return ErrorCategory.ResourceBusy;
                case SfErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case SfErrorKind.Unavailable: return ErrorCategory.ConnectionError;
                case SfErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case SfErrorKind.ConnectionFailed: return ErrorCategory.ConnectionError;
                default: return ErrorCategory.NotSpecified;
            }
        }

        public static ErrorRecord Record(SfClientException ex, object target, string targetText)
        {
            var record = new ErrorRecord(ex, ex.ErrorId, CategoryOf(ex.Kind), target)
            {
                ErrorDetails = new ErrorDetails($"{targetText}: {ex.Message}"),
            };
            record.ErrorDetails.RecommendedAction = Advice(ex);
            return record;
        }

        private static string Advice(SfClientException ex)
        {
            switch (ex.Kind)
            {
                case SfErrorKind.NotFound: return "Check the name or id, and that backup is enabled where the operation needs it.";
                case SfErrorKind.Busy: return "Wait for the operation in progress to finish, then try again.";
                case SfErrorKind.Unavailable:
                case SfErrorKind.Timeout: return "The cluster is busy or reconfiguring; try again later, or raise -TimeoutSec on Connect-SfCluster.";
                case SfErrorKind.ConnectionFailed: return "Check the endpoint given to Connect-SfCluster and that the cluster (or the emulator) is running.";
                default: return $"Request id {ex.RequestId} identifies the call in the cluster's traces.";
            }
        }
    }
}
