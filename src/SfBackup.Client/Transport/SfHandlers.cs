using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Session;

namespace SfBackup.Client.Transport
{
    /// <summary>What the transport tells the handlers about one call, carried by <see cref="SfRequestMessage"/>.</summary>
    internal sealed class SfCallInfo
    {
        public SfCallInfo(string operation, string pathAndQuery, Action<string>? trace)
        {
            Operation = operation;
            PathAndQuery = pathAndQuery;
            Trace = trace;
        }

        public string Operation { get; }

        /// <summary>The request's path and query, to be put after whichever endpoint it goes to.</summary>
        public string PathAndQuery { get; }
        public Action<string>? Trace { get; }

        /// <summary>Which try this is (0 for the first), for the trace.</summary>
        public int Attempt { get; set; }

        /// <summary>The request id the last send went out with.</summary>
        public string RequestId { get; set; } = "";

        /// <summary>The endpoint (by index) the transport addressed this send to.</summary>
        public int Endpoint { get; set; }

        public static SfCallInfo? Of(HttpRequestMessage request) => (request as SfRequestMessage)?.Call;
    }

    /// <summary>A request that carries its call's state to the handlers (no per-request property bag to fill and search).</summary>
    internal sealed class SfRequestMessage : HttpRequestMessage
    {
        public SfRequestMessage(HttpMethod method, Uri uri, SfCallInfo call)
            : base(method, uri)
        {
            Call = call;
        }

        public SfCallInfo Call { get; }
    }

    /// <summary>
    /// Endpoint failover: sends to the endpoint that answered last, and when one provably never got the request
    /// (connection refused, name not resolved) sends it to the next one straight away. Any other failure is the
    /// resilience pipeline's to judge, since the request may have been applied.
    /// </summary>
    internal sealed class SfFailoverHandler : DelegatingHandler
    {
        private readonly SfEndpoints _endpoints;

        public SfFailoverHandler(SfEndpoints endpoints) => _endpoints = endpoints;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            // One endpoint: nothing to fail over to, and no state machine for it.
            _endpoints.Count == 1 ? base.SendAsync(request, cancellationToken) : SendWithFailoverAsync(request, cancellationToken);

        private async Task<HttpResponseMessage> SendWithFailoverAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = SfCallInfo.Of(request);
            var tries = call == null ? 1 : _endpoints.Count;
            var index = call?.Endpoint ?? _endpoints.Preferred;
            for (var tried = 1; ; tried++)
            {
                // The transport addressed it to the preferred endpoint already; only a move needs a new URI.
                if (call != null && tried > 1) request.RequestUri = _endpoints.UriFor(index, call.PathAndQuery);
                try
                {
                    var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    _endpoints.Preferred = index;
                    return response;
                }
                // Refused, or a TLS handshake that failed: either way this endpoint never got the request.
                catch (HttpRequestException ex) when (tried < tries && (SfSendFailure.NeverLeft(ex) || SfSendFailure.HandshakeFailed(ex)))
                {
                    var next = (index + 1) % tries;
                    call?.Trace?.Invoke($"{_endpoints[index]} did not take the connection ({SfSendFailure.Innermost(ex).Message}); trying {_endpoints[next]}");
                    index = next;
                }
            }
        }
    }

    /// <summary>The Service Fabric headers: a new request id for every send, the client type, JSON, and the bearer token.</summary>
    internal sealed class SfHeadersHandler : DelegatingHandler
    {
        private readonly SfConnectionOptions _options;

        public SfHeadersHandler(SfConnectionOptions options) => _options = options;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var requestId = Guid.NewGuid().ToString();
            request.Headers.Remove(SfTransport.RequestIdHeader);
            request.Headers.TryAddWithoutValidation(SfTransport.RequestIdHeader, requestId);
            if (!request.Headers.Contains(SfTransport.ClientTypeHeader)) request.Headers.TryAddWithoutValidation(SfTransport.ClientTypeHeader, _options.ClientType);
            if (!request.Headers.Contains("Accept")) request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_options.AccessToken != null)
            {
                // Turned to text per request and only into the header; the trace never shows headers.
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Models.SecretText.Reveal(_options.AccessToken));
            }
            var call = SfCallInfo.Of(request);
            if (call != null) call.RequestId = requestId;
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>-Verbose: each send with its request id, and each answer's status and time. Never a header or a body.</summary>
    internal sealed class SfTraceHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = SfCallInfo.Of(request);
            return call?.Trace == null ? base.SendAsync(request, cancellationToken) : TracedAsync(request, call, call.Trace, cancellationToken);
        }

        private async Task<HttpResponseMessage> TracedAsync(HttpRequestMessage request, SfCallInfo call, Action<string> trace, CancellationToken cancellationToken)
        {
            trace($"{request.Method} {request.RequestUri} ({SfTransport.RequestIdHeader}: {call.RequestId}{(call.Attempt > 0 ? $", retry {call.Attempt}" : "")})");
            var clock = Stopwatch.StartNew();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            trace($"{call.Operation}: HTTP {(int)response.StatusCode} after {clock.ElapsedMilliseconds} ms");
            return response;
        }
    }

    /// <summary>A connection's gateways and the one that answered last, shared by every handler chain the factory builds.</summary>
    internal sealed class SfEndpoints
    {
        private readonly IReadOnlyList<Uri> _endpoints;
        private readonly string[] _bases;
        private int _preferred;

        public SfEndpoints(IReadOnlyList<Uri> endpoints)
        {
            _endpoints = endpoints;
            _bases = new string[endpoints.Count];
            for (var i = 0; i < _bases.Length; i++) _bases[i] = endpoints[i].GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        public int Count => _endpoints.Count;
        public Uri this[int index] => _endpoints[index];

        public int Preferred
        {
            get => Volatile.Read(ref _preferred) % _endpoints.Count;
            set => Volatile.Write(ref _preferred, value);
        }

        /// <summary>A path and query on endpoint <paramref name="index"/>.</summary>
        public Uri UriFor(int index, string pathAndQuery) => new Uri(_bases[index] + pathAndQuery);
    }

    /// <summary>How a send failed: whether the request provably never reached a server.</summary>
    internal static class SfSendFailure
    {
        /// <summary>
        /// True when the connection was never made (refused, no such host, network unreachable): nothing was sent,
        /// so any request, a Backup or a Restore included, may be sent again.
        /// </summary>
        public static bool NeverLeft(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }
                if (e is WebException web && (web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure))
                    return true;
            }
            return false;
        }

        public static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private static readonly Lazy<System.Reflection.PropertyInfo?> RequestErrorProperty =
            new Lazy<System.Reflection.PropertyInfo?>(() => typeof(HttpRequestException).GetProperty("HttpRequestError"));

        /// <summary>
        /// A failure that will be the same for every request to <paramref name="uri"/>, said in operator words: a TLS
        /// handshake that failed (the request was never sent), or a peer that answered with something that is not
        /// HTTP. Null for everything else (refused, reset, dropped), which the retry rules judge.
        /// </summary>
        public static (string Message, string? Advice)? Deterministic(HttpRequestException ex, Uri uri, Session.SfTlsObservation tls)
        {
            var authority = uri.GetLeftPart(UriPartial.Authority);
            var handshake = Handshake(ex);
            var kind = RequestErrorProperty.Value?.GetValue(ex)?.ToString();
            if (handshake != null)
            {
                var rejected = tls.RejectedFor(uri);
                if (rejected != null)
                {
                    return ($"{authority} presented a TLS certificate this connection does not trust ({rejected.Reason}): subject {rejected.Subject}, " +
                            $"SHA-1 thumbprint {rejected.Sha1}, SHA-256 thumbprint {rejected.Sha256}. Nothing was sent.",
                        $"If this is your cluster's certificate, connect with -ServerCertThumbprint {rejected.Sha1}.");
                }
                if (uri.Scheme == Uri.UriSchemeHttps && MentionsFrame(handshake))
                {
                    var plain = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.Port }.Uri.GetLeftPart(UriPartial.Authority);
                    return ($"{authority} does not speak TLS. Nothing was sent.", $"Connect with -Endpoint {plain} (http://), or check the port.");
                }
                return ($"the TLS handshake with {authority} failed, so nothing was sent: the gateway ended it ({Innermost(handshake).Message.TrimEnd('.')}).",
                    "A gateway that asks for a client certificate ends the handshake without one: connect with -ClientCertificate.");
            }
            var web2 = ex.InnerException as WebException;
            if (kind == "InvalidResponse" || web2?.Status == WebExceptionStatus.ServerProtocolViolation)
            {
                return ($"{authority} answered with something that is not HTTP: this endpoint is not a Service Fabric gateway.",
                    uri.Scheme == Uri.UriSchemeHttp ? "Check the port (a gateway's HTTP port is often 19080), or whether the gateway wants https://." : "Check the port (a gateway's HTTP port is often 19080).");
            }
            return null;
        }

        /// <summary>True when the TLS handshake failed: the request was never sent.</summary>
        public static bool HandshakeFailed(HttpRequestException ex) => Handshake(ex) != null;

        /// <summary>The exception that says the TLS handshake failed, or null.</summary>
        private static Exception? Handshake(HttpRequestException ex)
        {
            Exception? handshake = null;
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is System.Security.Authentication.AuthenticationException) handshake = e;
                if (e is WebException web && (web.Status == WebExceptionStatus.TrustFailure || web.Status == WebExceptionStatus.SecureChannelFailure)) handshake = e;
            }
            if (handshake == null && RequestErrorProperty.Value?.GetValue(ex)?.ToString() == "SecureConnectionError") handshake = ex;
            return handshake;
        }

        private static bool MentionsFrame(Exception ex)
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
                if (e.Message.IndexOf("frame", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return false;
        }
    }

    /// <summary>What an answer's shape says of whoever gave it.</summary>
    internal static class SfAnswerShape
    {
        /// <summary>
        /// A gateway answers a success with no body, or with JSON (an object or a list). A page, plain text or XML
        /// means something else answered: a web server, a login page, a proxy.
        /// </summary>
        public static bool CouldBeGateway(byte[] body, string? mediaType)
        {
            var i = 0;
            if (body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF) i = 3;
            while (i < body.Length && (body[i] == (byte)' ' || body[i] == (byte)'\t' || body[i] == (byte)'\r' || body[i] == (byte)'\n')) i++;
            if (i == body.Length) return true;
            if (mediaType != null && (mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0 || mediaType.IndexOf("xml", StringComparison.OrdinalIgnoreCase) >= 0))
                return false;
            if (body[i] == (byte)'{' || body[i] == (byte)'[') return true;
            // Rare: a bare JSON value (a number, a string, null) is read, and fails there if it is not what was asked for.
            try
            {
                using (System.Text.Json.JsonDocument.Parse(new ReadOnlyMemory<byte>(body, i, body.Length - i))) return true;
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }
    }
}
