using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>Cmdlets that act on one partition per pipeline item.</summary>
    public abstract class PartitionCmdletBase : SfCmdlet
    {
        /// <summary>
        /// <para type="description">The partition: a GUID, or any object with a PartitionId or PartitionInformation.Id property (Get-SfPartition, Get-SfBackup, Microsoft's Service Fabric modules, Import-Csv rows).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PartitionInformation")]
        [PartitionIdTransformation]
        [ArgumentCompleter(typeof(PartitionIdCompleter))]
        public Guid PartitionId { get; set; }

        /// <summary>
        /// <para type="description">Taken from pipeline objects that carry it (Get-SfPartition, Microsoft's modules): a Stateless partition is skipped with a warning instead of sending a request that must fail.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ServiceKind { get; set; }

        protected SfEntity Partition => SfEntity.Partition(PartitionId);

        /// <summary>True (after a warning) when the pipeline said this partition belongs to a stateless service.</summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected bool SkipStateless()
        {
            if (!string.Equals(ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase)) return false;
            WriteWarning($"Skipped partition {PartitionId:D}: it belongs to a stateless service, which has no backups.");
            return true;
        }
    }

    /// <summary>What an action cmdlet does: its verb (for the operation name), its -WhatIf text, the call, its impact.</summary>
    public sealed class SfAction
    {
        public SfAction(string verb, string text, Func<SfBackupClient, SfEntity, CancellationToken, Task<SfResponse>> send, bool highImpact = false, bool force = false,
            SfIntents.Check? holds = null)
        {
            Verb = verb;
            Text = text;
            Send = send;
            HighImpact = highImpact;
            Force = force;
            Holds = holds;
        }

        /// <summary>
        /// For a partition: how to tell by reading the cluster that the change is in place, so that a lost answer is
        /// resolved (done, or sent again) instead of reported. Null: a lost answer is an error naming the partition.
        /// </summary>
        public SfIntents.Check? Holds { get; }

        /// <summary>Sends the change; for a partition with <see cref="Holds"/>, through SfBackupClient.SendIntentAsync.</summary>
        public Task<SfResponse> SendOnce(SfBackupClient client, SfEntity entity, CancellationToken token) =>
            Holds == null || entity.Kind != SfEntityKind.Partition
                ? Send(client, entity, token)
                : client.SendIntentAsync(t => Send(client, entity, t), (sent, t) => Holds(client, entity, sent, t), token);

        public string Verb { get; }
        public string Text { get; }
        public Func<SfBackupClient, SfEntity, CancellationToken, Task<SfResponse>> Send { get; }
        public bool HighImpact { get; }
        public bool Force { get; }

        /// <summary>The operation for -PassThru: by verb and level, or one named outright (Backup, Restore, SkipAutoRestore).</summary>
        public SfOperation OperationFor(SfEntity entity, SfOperation? named) => named ?? SfOperation.For(Verb, entity.Kind);
    }

    /// <summary>Partition state changes: skip stateless, then <see cref="SfCmdlet.RunAction"/>.</summary>
    public abstract class PartitionActionCmdletBase : PartitionCmdletBase
    {
        /// <summary><para type="description">Emit an SfActionResult for each accepted request, to pipe on.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// <para type="description">How many requests to have in flight at once for a pipeline of partitions (1..64, default 1: one after another). Output and errors still come in input order.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        protected abstract SfAction Action { get; }

        /// <summary>Set for partition operations outside Enable/Disable/Suspend/Resume.</summary>
        protected virtual SfOperation? NamedOperation => null;

        /// <summary>
        /// A confirmed request of the -ThrottleLimit window: waiting for a free slot, in flight, or answered.
        /// <see cref="Answer"/> ends when the request has its answer (never before it is sent).
        /// </summary>
        private sealed class InFlight
        {
            public InFlight(SfEntity partition, SfAction action)
            {
                Partition = partition;
                Action = action;
            }

            public SfEntity Partition { get; }
            public SfAction Action { get; }
            public DateTime SentUtc { get; set; }
            public TaskCompletionSource<SfResponse> Answer { get; } = new TaskCompletionSource<SfResponse>();
        }

        /// <summary>The window's requests in input order: their answers are written from its head.</summary>
        private readonly Queue<InFlight> _inFlight = new Queue<InFlight>();

        /// <summary>Confirmed requests waiting for a slot (under <see cref="_gate"/>); at most -ThrottleLimit of them.</summary>
        private readonly Queue<InFlight> _ready = new Queue<InFlight>();

        private readonly object _gate = new object();

        /// <summary>Requests of the window in flight (under <see cref="_gate"/>).</summary>
        private int _running;

        /// <summary>Set once the command ends or stops: no waiting request is sent after that.</summary>
        private volatile bool _closed;

        /// <summary>Set by an answer that will stop the command (<see cref="SfCmdlet.RepeatsForEveryItem"/>): nothing more is sent.</summary>
        private volatile bool _halted;

        private SfBackupClient? _windowClient;
        private CancellationToken _windowToken;

        /// <summary>Set by each answer of the window: what the pipeline thread sleeps on while the window is full.</summary>
        private readonly ManualResetEventSlim _answered = new ManualResetEventSlim(false, 0);

        /// <summary>
        /// ShouldProcess on the pipeline thread for each partition as it arrives; up to -ThrottleLimit requests then
        /// run at once, and their answers are written oldest first. A slot is free as soon as its request has its
        /// answer, even while an older one is still out: finished answers wait in order (at most
        /// <see cref="BufferFactor"/> × the limit of them, so memory stays flat) instead of holding up new requests.
        /// Under -ThrottleLimit the pipeline thread only binds, asks and queues, up to -ThrottleLimit requests ahead
        /// of the slots, and writes: a request is built and sent on a pool thread, and the answer that frees a slot
        /// sends the next waiting request on its own thread, without a round trip through the pipeline thread
        /// (bench/README.md, "pipeline thread" and "bulk").
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        protected override void ProcessRecord()
        {
            if (SkipStateless()) return;
            var partition = Partition;
            var action = Action;
            if (!ConfirmAction(partition, action)) return;
            if (ThrottleLimit == 1)
            {
                var sentUtc = DateTime.UtcNow;
                CompleteAction(partition, action, NamedOperation, PassThru, StartAction(partition, action), sentUtc, sent => OnAccepted(partition, sent));
                return;
            }
            try
            {
                WriteFinished();
                while (WindowFull())
                {
                    if (_inFlight.Peek().Answer.Task.IsCompleted) Complete(_inFlight.Dequeue());
                    else WaitForAny();
                }
                if (_windowClient == null)
                {
                    // The client (and so the connection) is taken here, on the pipeline thread: the default
                    // connection belongs to this runspace.
                    _windowClient = Client;
                    _windowToken = StopToken;
                    // Ctrl+C ends the requests still waiting for a slot at once, whether or not an answer comes.
                    _windowToken.Register(static self => ((PartitionActionCmdletBase)self!).SendWaiting(), this);
                }
                var call = new InFlight(partition, action);
                _inFlight.Enqueue(call);
                bool slotFree;
                lock (_gate)
                {
                    _ready.Enqueue(call);
                    slotFree = _running < ThrottleLimit;
                }
                if (slotFree) Task.Run(() => SendWaiting());
            }
            catch
            {
                _closed = true;
                throw;
            }
        }

        /// <summary>How many answers, per unit of -ThrottleLimit, may wait for an older one before input stops.</summary>
        private const int BufferFactor = 4;

        /// <summary>
        /// Input waits while -ThrottleLimit confirmed requests already wait for a slot (every slot is busy then),
        /// or while too many answers wait for an older one.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        private bool WindowFull()
        {
            lock (_gate) if (_ready.Count >= ThrottleLimit) return true;
            return _inFlight.Count >= ThrottleLimit * BufferFactor;
        }

        /// <summary>
        /// Sends waiting requests on this (pool) thread while slots are free; each answer frees its slot, sends the
        /// next waiting request on its own thread and then wakes the pipeline thread. Once the command has ended or
        /// stopped, nothing more is sent: the waiting requests end as cancelled instead.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        private void SendWaiting()
        {
            while (true)
            {
                InFlight call;
                lock (_gate)
                {
                    if (_closed || _windowToken.IsCancellationRequested)
                    {
                        while (_ready.Count > 0) _ready.Dequeue().Answer.TrySetCanceled(_windowToken);
                        return;
                    }
                    if (_ready.Count == 0 || _running >= ThrottleLimit || _halted) return;
                    call = _ready.Dequeue();
                    _running++;
                }
                call.SentUtc = DateTime.UtcNow;
                Task<SfResponse> sent;
                try
                {
                    sent = call.Action.SendOnce(_windowClient!, call.Partition, _windowToken);
                }
                catch (Exception ex)
                {
                    sent = Task.FromException<SfResponse>(ex);
                }
                sent.ContinueWith(static (task, state) =>
                {
                    var (self, answered) = ((PartitionActionCmdletBase, InFlight))state!;
                    self.Answered(task, answered);
                }, (this, call), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        private void Answered(Task<SfResponse> task, InFlight call)
        {
            lock (_gate) _running--;
            var stopping = false;
            // The task has ended: GetResult reads its answer, it does not wait.
            if (task.Status == TaskStatus.RanToCompletion) call.Answer.TrySetResult(task.GetAwaiter().GetResult());
            else if (task.IsCanceled) call.Answer.TrySetCanceled(CanceledBy(task));
            else
            {
                call.Answer.TrySetException(task.Exception!.InnerExceptions);
                // The pipeline thread stops the command when it writes this answer: send nothing more meanwhile.
                // Every waiting request is younger than this one, so the pipeline thread comes to this answer, and
                // stops, before it would wait for any of them.
                stopping = RepeatsForEveryItem(task.Exception.InnerException);
            }
            if (stopping) _halted = true;
            else SendWaiting();
            // After the next request left: a pipeline thread waiting for room in the queue finds it.
            _answered.Set();
        }

        /// <summary>The token a cancelled task was cancelled with, so that Ctrl+C still reads as Ctrl+C.</summary>
        private static CancellationToken CanceledBy(Task task)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException ex)
            {
                return ex.CancellationToken;
            }
            return CancellationToken.None;
        }

        /// <summary>Writes the answers at the head of the queue that have arrived, oldest first.</summary>
        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        private void WriteFinished()
        {
            while (_inFlight.Count > 0 && _inFlight.Peek().Answer.Task.IsCompleted) Complete(_inFlight.Dequeue());
        }

        /// <summary>Until one more request has its answer (a short slice at a time, writing the trace between).</summary>
        private void WaitForAny()
        {
            _answered.Reset();
            // An answer that came before the reset has counted itself down already: look again before sleeping.
            if (!WindowFull() || _inFlight.Peek().Answer.Task.IsCompleted) return;
            try
            {
                if (!_answered.Wait(PumpMilliseconds, StopToken)) FlushTrace();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            WriteFinished();
        }

        protected override void EndProcessing()
        {
            try
            {
                while (_inFlight.Count > 0) Complete(_inFlight.Dequeue());
            }
            finally
            {
                _closed = true;
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        private void Complete(InFlight call) =>
            CompleteAction(call.Partition, call.Action, NamedOperation, PassThru, call.Answer.Task, call.SentUtc, sentUtc => OnAccepted(call.Partition, sentUtc));

        /// <summary>After the cluster accepted the request (for -Wait).</summary>
        protected virtual void OnAccepted(SfEntity partition, DateTime sentUtc)
        {
        }
    }

    /// <summary>
    /// Partition actions that start a run (a backup or a restore) that -Wait can follow to its end. Each cmdlet says
    /// only what its run's cluster-side timeout is and how to follow it.
    /// </summary>
    public abstract class PartitionRunCmdletBase : PartitionActionCmdletBase
    {
        /// <summary><para type="description">Wait until the backup or restore ends, showing its progress, and output its final progress object (BackupProgressInfo or RestoreProgressInfo); one that ends in Failure or Timeout is an error naming the partition.</para></summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary><para type="description">With -Wait: give up waiting after this many seconds (default: the run's timeout plus one minute). The run itself goes on.</para></summary>
        [Parameter]
        [ValidateRange(1, 7 * 24 * 3600)]
        public int WaitTimeoutSec { get; set; }

        /// <summary>How often -Wait asks for progress.</summary>
        protected static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

        /// <summary>The run's cluster-side timeout in minutes when the user gave one (the cluster's default is 10).</summary>
        protected abstract int? RunTimeoutMinutes { get; }

        /// <summary>Follows the run to its end within <paramref name="limit"/>, through <see cref="WaitForRun"/>.</summary>
        protected abstract void WaitForEnd(SfEntity partition, DateTime sentUtc, TimeSpan limit);

        protected sealed override void OnAccepted(SfEntity partition, DateTime sentUtc)
        {
            if (!Wait) return;
            var limit = MyInvocation.BoundParameters.ContainsKey(nameof(WaitTimeoutSec))
                ? TimeSpan.FromSeconds(WaitTimeoutSec)
                : TimeSpan.FromMinutes((RunTimeoutMinutes ?? 10) + 1);
            WaitForEnd(partition, sentUtc, limit);
        }

        /// <summary>
        /// Polls a backup or restore to its end, showing progress, then writes its final progress object, or an
        /// error naming the partition when it ended in Failure or Timeout.
        /// </summary>
        protected void WaitForRun<T>(SfEntity partition, string run, TimeSpan limit,
            Func<SfBackupClient, Action<T>, CancellationToken, Task<T>> wait, Func<T, string> state, Func<T, FabricErrorInfo?> failure)
        {
            var activityId = partition.PartitionId.GetHashCode() & 0x7fffffff;
            var activity = $"{run} of partition {partition.PartitionId:D}";
            var ok = TryInvoke(partition.Target, partition.ToString(),
                (client, token) => wait(client, p => QueueProgress(new ProgressRecord(activityId, activity, state(p))), token), out var final);
            QueueProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            FlushTrace();
            if (!ok) return;
            if (state(final) == "Success") WriteObject(final);
            else WriteError(SfErrors.RunEnded(run, state(final), failure(final)?.Code, failure(final)?.Message, partition.Target, partition.ToString()));
        }
    }

    /// <summary>Cmdlets that act on one service per pipeline item.</summary>
    public abstract class ServiceCmdletBase : SfCmdlet
    {
        /// <summary><para type="description">The service: fabric:/app/svc, app/svc or app~svc; from the pipeline as a string or by the ServiceName, Name, ServiceId or Id property.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "ServiceId", "Id")]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ServiceNameCompleter))]
        public string ServiceName { get; set; } = "";
    }

    /// <summary>Cmdlets that act on one application per pipeline item.</summary>
    public abstract class ApplicationCmdletBase : SfCmdlet
    {
        /// <summary><para type="description">The application: fabric:/app, app, or its id; from the pipeline as a string or by the ApplicationName, Name, ApplicationId or Id property.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "ApplicationId", "Id")]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ApplicationNameCompleter))]
        public string ApplicationName { get; set; } = "";
    }

    /// <summary>Service state changes through <see cref="SfCmdlet.RunAction"/>.</summary>
    public abstract class ServiceActionCmdletBase : ServiceCmdletBase
    {
        /// <summary><para type="description">Emit an SfActionResult for each accepted request, to pipe on.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract SfAction Action { get; }

        protected override void ProcessRecord() => RunAction(SfEntity.Service(ServiceName), Action, null, PassThru);
    }

    /// <summary>Application state changes through <see cref="SfCmdlet.RunAction"/>.</summary>
    public abstract class ApplicationActionCmdletBase : ApplicationCmdletBase
    {
        /// <summary><para type="description">Emit an SfActionResult for each accepted request, to pipe on.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract SfAction Action { get; }

        protected override void ProcessRecord() => RunAction(SfEntity.Application(ApplicationName), Action, null, PassThru);
    }
}
