using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Session
{
    /// <summary>
    /// A connection to one cluster's HTTP gateway: what Connect-SfCluster builds. It owns its HTTP stack (one
    /// factory-built HttpClient at a time, shared by every call through it, see SfHttpStack). ToString names
    /// endpoints and versions only; nothing secret is kept in text form.
    /// </summary>
    public sealed class SfClusterConnection : IDisposable
    {
        private readonly Task<SfHttpStack> _stack;
        private bool _disposed;

        public SfClusterConnection(SfConnectionOptions options)
        {
            Options = (options ?? throw new ArgumentNullException(nameof(options))).ValidatedCopy();
            var validated = Options;
            // The HTTP stack (container, factory, first handler chain) is built in the background meanwhile; the
            // first call (Connect-SfCluster's gateway check, or the first command) waits for it only if it is not ready yet.
            _stack = Task.Run(() =>
            {
                var stack = new SfHttpStack(validated, tls => CreateHandler(validated, tls));
                _ = stack.Client;
                return stack;
            });
            Transport = new SfTransport(_stack, Options);
            ConnectedAtUtc = DateTime.UtcNow;
        }

        /// <summary>Connections one session opens to one gateway at most: the highest -ThrottleLimit.</summary>
        public const int MaxConnectionsPerServer = 64;

        public Guid ConnectionId { get; } = Guid.NewGuid();
        public SfConnectionOptions Options { get; }
        public IReadOnlyList<Uri> Endpoints => Options.Endpoints;
        public string ApiVersion => Options.ApiVersion ?? "(per operation)";
        public long? ServerTimeoutSec => Options.ServerTimeoutSec;
        public DateTime ConnectedAtUtc { get; }

        /// <summary>The cluster version the gateway gave when <see cref="CheckGateway"/> read it; null when it was not read (-SkipGatewayCheck).</summary>
        public string? ClusterVersion { get; private set; }

        /// <summary>
        /// Connect-SfCluster's gateway check: reads the cluster version (<see cref="Operations.SfBackupClient.VerifyGatewayAsync"/>,
        /// which fails with <see cref="Transport.SfNotGatewayException"/> for anything but a gateway) and keeps it in
        /// <see cref="ClusterVersion"/>. Blocks until the answer. While the read is on the wire, on a pool thread that
        /// also compiles the HTTP stack's first request, the calling thread prepares the JSON read paths of the
        /// answers commands read most (<see cref="Models.SfJsonContext.Prepare"/>): with two cores or more the two
        /// overlap, and the first command after the check compiles almost nothing.
        /// </summary>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <param name="meanwhile">More preparation for the calling thread while the read is on the wire (Connect-SfCluster: its cmdlets' common code).</param>
        public string CheckGateway(CancellationToken cancellationToken, Action? meanwhile = null)
        {
            var client = new Operations.SfBackupClient(this);
            var reading = Task.Run(() => client.VerifyGatewayAsync(cancellationToken), cancellationToken);
            try
            {
                Models.SfJsonContext.Prepare();
                meanwhile?.Invoke();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Preparing only saves time: whatever fails here is left to the first call, never fails the check.
            }
            return ClusterVersion = reading.GetAwaiter().GetResult();
        }

        public bool IsDisposed => _disposed;

        internal SfTransport Transport { get; }

        internal SfTransport GetTransport()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(SfClusterConnection), "This connection was closed: by Disconnect-SfCluster, or with the runspace whose default it was.");
            return Transport;
        }

        /// <summary>The api-version a call of this operation is sent with (see <see cref="SfConnectionOptions.ApiVersionFor"/>).</summary>
        public string ApiVersionFor(SfOperation operation) => Options.ApiVersionFor(operation);

        /// <summary>How the connection authenticates, for display: never the secret itself.</summary>
        public string Authentication =>
            Options.AccessToken != null ? "Bearer token" : Options.ClientCertificate != null ? $"Certificate {Options.ClientCertificate.Thumbprint}" : "None";

        public override string ToString() =>
            $"{string.Join(", ", Options.Endpoints.Select(e => e.ToString()))} (api-version {ApiVersion})";

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stack.ContinueWith(t => t.GetAwaiter().GetResult().Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private static HttpMessageHandler CreateHandler(SfConnectionOptions options, SfTlsObservation tls)
        {
            var handler = new HttpClientHandler();
            try
            {
                // Windows PowerShell's .NET Framework allows 2 connections per host unless told otherwise; -ThrottleLimit needs more.
                handler.MaxConnectionsPerServer = MaxConnectionsPerServer;
            }
            catch (PlatformNotSupportedException)
            {
                // a handler that manages its own pool
            }
            if (options.ClientCertificate != null)
            {
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.Add(options.ClientCertificate);
            }
            // Always through the policy, so that a refused certificate is kept for the error that names it.
            var pinned = options.ServerCertThumbprints;
            var skip = options.SkipCertificateCheck;
            handler.ServerCertificateCustomValidationCallback = (request, certificate, _, errors) =>
                tls.Check(request?.RequestUri, certificate, errors, pinned, skip);
            return handler;
        }
    }
}
