using System;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SfBackup.Client.Session;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Connects to a cluster's HTTP gateway (or the local emulator) and makes the connection this runspace's default.</para>
    /// <para type="description">Builds the connection every other cmdlet uses: endpoints, api-version, timeouts, retries and TLS settings, and checks the gateway at once by reading its cluster version (GET /$/GetClusterVersion): an endpoint that cannot be reached, whose certificate is not trusted, or that is not a Service Fabric gateway fails here, before any command acts. That read also opens the connection and prepares the code the first command needs, so that command answers as fast as the next ones. -SkipGatewayCheck sends nothing. The default belongs to the runspace: a Connect-SfCluster inside a function or script sets it for the whole runspace, while other runspaces (ForEach-Object -Parallel, Start-ThreadJob) keep their own. Closing the runspace closes its default.</para>
    /// </summary>
    /// <example>
    /// <code>Connect-SfCluster</code>
    /// <para>Connects to the local emulator (or a local dev cluster) at http://127.0.0.1:19080, checks that it is a gateway, and makes it the default.</para>
    /// </example>
    /// <example>
    /// <code>$c = Connect-SfCluster -Endpoint https://gw1:19080, https://gw2:19080 -ClientCertificate $cert -TimeoutSec 120 -NoDefault -SkipGatewayCheck</code>
    /// <para>Prepares a connection to a secure cluster with two gateways, for scripts that pass -Session $c, without contacting it yet: the first command that uses it checks the gateway. $cert holds its private key (on Windows, for example, Get-Item Cert:\CurrentUser\My\THUMBPRINT).</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "SfCluster")]
    [OutputType(typeof(SfClusterConnection))]
    public sealed class ConnectSfClusterCommand : PSCmdlet
    {
        /// <summary><para type="description">One or more gateway addresses (http or https), tried in order when one does not answer. Default: http://127.0.0.1:19080, where the SfBackup emulator and a local dev cluster listen.</para></summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("ConnectionEndpoint")]
        public Uri[] Endpoint { get; set; } = { SfConnectionOptions.DefaultEndpoint };

        /// <summary><para type="description">Send this api-version on every call instead of each operation's documented one (for example 6.4 or 9.1).</para></summary>
        [Parameter]
        [ValidatePattern(@"^\d+\.\d+(-preview)?$")]
        public string? ApiVersion { get; set; }

        /// <summary><para type="description">The server-side timeout in seconds sent as the 'timeout' query parameter (1..4294967295). Not sent when omitted: the cluster's default of 60 applies.</para></summary>
        [Parameter]
        [ValidateRange(SfConnectionOptions.MinServerTimeoutSec, SfConnectionOptions.MaxServerTimeoutSec)]
        public long TimeoutSec { get; set; }

        /// <summary><para type="description">How long to wait for one HTTP answer. Default: the server timeout (or 60) plus 30 seconds.</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int RequestTimeoutSec { get; set; }

        /// <summary><para type="description">How long one call may take in all, every attempt and every wait between retries included (1..86400). Default: the request timeout times the number of attempts.</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TotalTimeoutSec { get; set; }

        /// <summary><para type="description">Extra attempts after 503, 504 on reads, or an endpoint that does not answer (0..10, default 3). Waits grow exponentially with random jitter, and a Retry-After from the cluster is honoured.</para></summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int RetryCount { get; set; } = 3;

        /// <summary><para type="description">A client certificate for a secure cluster.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public X509Certificate2? ClientCertificate { get; set; }

        /// <summary><para type="description">A Microsoft Entra ID (AAD) access token for a cluster secured with Entra ID, as a SecureString; sent as a Bearer token and never shown.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public System.Security.SecureString? AccessToken { get; set; }

        /// <summary><para type="description">Trust the gateway's certificate when its thumbprint (SHA-1 or SHA-256, any case, spaces or colons allowed) is one of these, even if it is self-signed or its name does not match. Other certificates get the usual check.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("ServerCertificateThumbprint")]
        public string[]? ServerCertThumbprint { get; set; }

        /// <summary><para type="description">Do not check the gateway's TLS certificate at all (test clusters only; prefer -ServerCertThumbprint).</para></summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary><para type="description">Send -AccessToken or -ClientCertificate to an http:// endpoint anyway. Without it such a connection is refused (SfCredentialOverHttp): over http a token travels in clear text, and a client certificate is never presented.</para></summary>
        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary><para type="description">Send nothing now: make the connection without reading the gateway's cluster version (for a cluster that is not up yet, or a connection prepared ahead). The first command that needs the cluster then finds out whether the endpoint is a gateway, and pays for opening the connection.</para></summary>
        [Parameter]
        public SwitchParameter SkipGatewayCheck { get; set; }

        /// <summary><para type="description">The gateway check, which is the default now; kept so that scripts written with it keep working. It cannot be combined with -SkipGatewayCheck.</para></summary>
        [Parameter(DontShow = true)]
        public SwitchParameter Verify { get; set; }

        /// <summary><para type="description">Return the connection without making it this runspace's default (for scripts that talk to several clusters through -Session). Such a connection is not closed with the runspace, so it can be passed to others with $using:.</para></summary>
        [Parameter]
        public SwitchParameter NoDefault { get; set; }

        protected override void EndProcessing()
        {
            if (Verify && SkipGatewayCheck)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Verify and -SkipGatewayCheck contradict each other: the gateway check is the default, -SkipGatewayCheck turns it off."),
                    "SfInvalidConnection", ErrorCategory.InvalidArgument, null));
            }
            var options = new SfConnectionOptions
            {
                Endpoints = Endpoint,
                ApiVersion = ApiVersion,
                ServerTimeoutSec = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : (long?)null,
                RequestTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(RequestTimeoutSec)) ? TimeSpan.FromSeconds(RequestTimeoutSec) : (TimeSpan?)null,
                TotalTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(TotalTimeoutSec)) ? TimeSpan.FromSeconds(TotalTimeoutSec) : (TimeSpan?)null,
                MaxRetries = RetryCount,
                ClientCertificate = ClientCertificate,
                SkipCertificateCheck = SkipCertificateCheck,
                ServerCertThumbprints = ServerCertThumbprint ?? Array.Empty<string>(),
                AccessToken = AccessToken,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
            };

            SfClusterConnection connection;
            try
            {
                connection = new SfClusterConnection(options);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, (ex as Client.Transport.SfRefusedInputException)?.ErrorId ?? "SfInvalidConnection", ErrorCategory.InvalidArgument, Endpoint));
                return;
            }

            if (SkipCertificateCheck) WriteWarning("TLS certificate checks are off for this connection.");
            if (AllowUnencryptedAuthentication && Endpoint.Any(e => e.IsAbsoluteUri && e.Scheme == Uri.UriSchemeHttp) && (AccessToken != null || ClientCertificate != null))
                WriteWarning("-AllowUnencryptedAuthentication: the credential goes to an http:// endpoint.");
            if (!SkipGatewayCheck && !VerifyGateway(connection)) return;
            if (!NoDefault)
            {
                var previous = SfModuleState.Exchange(SessionState, connection);
                previous?.Dispose();
            }
            WriteVerbose($"Connection {connection.ConnectionId}: {connection}{(NoDefault ? "" : " (this runspace's default)")}");
            WriteObject(connection);
        }

        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>The gateway check (SfClusterConnection.CheckGateway): one read before the connection is handed out; a failure closes it and stops the command.</summary>
        private bool VerifyGateway(SfClusterConnection connection)
        {
            try
            {
                var version = connection.CheckGateway(_stopping.Token, SfCmdlet.PrepareCommonCode);
                WriteVerbose($"{connection.Endpoints[0]} is a Service Fabric gateway, cluster version {version}.");
                return true;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                connection.Dispose();
                throw new PipelineStoppedException();
            }
            catch (Client.Transport.SfClientException ex)
            {
                connection.Dispose();
                ThrowTerminatingError(SfErrors.Record(ex, Endpoint, string.Join(", ", Endpoint.Select(e => e.ToString()))));
                return false;
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets this runspace's default cluster connection.</para>
    /// <para type="description">The connection Connect-SfCluster last made the default in the calling runspace, which every cmdlet there uses when -Session is not given. An error when this runspace has none, whatever other runspaces hold.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfClusterConnection</code>
    /// <para>This runspace's default connection: endpoints, authentication, api-version.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfClusterConnection | Format-List</code>
    /// <para>The same with every setting shown.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfClusterConnection")]
    [OutputType(typeof(SfClusterConnection))]
    public sealed class GetSfClusterConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var session = SfModuleState.Get(SessionState);
            if (session == null)
            {
                WriteError(new ErrorRecord(new InvalidOperationException("No cluster connection in this runspace. Run Connect-SfCluster here first; other runspaces' connections are not shared."),
                    "SfNoConnection", ErrorCategory.ObjectNotFound, null));
                return;
            }
            WriteObject(session);
        }
    }

    /// <summary>
    /// <para type="synopsis">Closes a cluster connection (default: this runspace's default) and frees its HTTP resources.</para>
    /// <para type="description">Cmdlets that still hold the closed connection through -Session fail with SfConnectionClosed. Closing the default leaves no default until the next Connect-SfCluster.</para>
    /// </summary>
    /// <example>
    /// <code>Disconnect-SfCluster</code>
    /// <para>Closes this runspace's default connection.</para>
    /// </example>
    /// <example>
    /// <code>$c = Connect-SfCluster -NoDefault; Disconnect-SfCluster -Session $c</code>
    /// <para>Closes a connection that is not the default.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "SfCluster")]
    [OutputType(typeof(void))]
    public sealed class DisconnectSfClusterCommand : PSCmdlet
    {
        /// <summary><para type="description">The connection to close. Default: this runspace's default; other runspaces' defaults are never touched.</para></summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public SfClusterConnection? Session { get; set; }

        protected override void ProcessRecord()
        {
            var session = Session ?? SfModuleState.Get(SessionState);
            if (session == null)
            {
                WriteVerbose("No connection to close.");
                return;
            }
            if (ReferenceEquals(session, SfModuleState.Get(SessionState))) SfModuleState.Exchange(SessionState, null);
            session.Dispose();
            WriteVerbose($"Closed connection {session.ConnectionId}.");
        }
    }
}
