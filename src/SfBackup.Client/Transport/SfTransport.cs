using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Session;

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// The one HTTP pipeline: builds the URI (path, operation query, api-version, timeout), adds the Service Fabric
    /// headers, fails over between endpoints, retries transient answers with back-off, and turns every non-2xx
    /// answer into <see cref="SfFabricException"/>.
    /// </summary>
    public sealed class SfTransport
    {
        public const string RequestIdHeader = "X-ServiceFabricRequestId";
        public const string ClientTypeHeader = "X-ServiceFabricClientType";

        private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        private readonly HttpClient _http;
        private readonly SfConnectionOptions _options;
        private int _preferredEndpoint;

        internal SfTransport(HttpClient http, SfConnectionOptions options)
        {
            _http = http;
            _options = options;
        }

        /// <summary>The full URI a request goes to on one endpoint (also what -WhatIf and verbose output show).</summary>
        public Uri BuildUri(Uri endpoint, SfRequest request)
        {
            var sb = new StringBuilder();
            sb.Append(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
            sb.Append(request.Path);
            var first = true;
            void Add(string name, string value)
            {
                sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
                first = false;
            }
            foreach (var pair in request.Query) Add(pair.Key, pair.Value);
            Add("api-version", _options.ApiVersionFor(request.Operation));
            if (_options.ServerTimeoutSec.HasValue)
            {
                SfConnectionOptions.ValidateServerTimeout(_options.ServerTimeoutSec.Value);
                Add("timeout", _options.ServerTimeoutSec.Value.ToString(CultureInfo.InvariantCulture));
            }
            return new Uri(sb.ToString());
        }

        public async Task<SfResponse> SendAsync(SfRequest request, Action<string>? trace, CancellationToken cancellationToken)
        {
            var endpoints = _options.Endpoints;
            var isRead = request.Operation.Method == HttpMethod.Get;
            var body = request.Body?.Invoke();
            var attempt = 0;
            var endpointIndex = Volatile.Read(ref _preferredEndpoint) % endpoints.Count;

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var uri = BuildUri(endpoints[endpointIndex], request);
                var requestId = Guid.NewGuid().ToString();
                SfClientException failure;
                var moveEndpoint = false;

                using (var message = new HttpRequestMessage(request.Operation.Method, uri))
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    message.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
                    message.Headers.TryAddWithoutValidation(ClientTypeHeader, _options.ClientType);
                    message.Headers.Accept.ParseAdd("application/json");
                    if (_options.AccessToken != null)
                    {
                        // Turned to text per request and only into the header; the trace never shows headers.
                        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Models.SecretText.Reveal(_options.AccessToken));
                    }
                    if (body != null)
                    {
                        message.Content = new ByteArrayContent(body);
                        message.Content.Headers.ContentType = JsonContentType;
                    }

                    trace?.Invoke($"{request.Operation.Method} {uri} ({RequestIdHeader}: {requestId}{(attempt > 0 ? $", retry {attempt}" : "")})");
                    var clock = Stopwatch.StartNew();
                    deadline.CancelAfter(_options.EffectiveRequestTimeout);
                    try
                    {
                        using (var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false))
                        {
                            var bytes = response.Content == null ? Array.Empty<byte>() : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                            var status = (int)response.StatusCode;
                            trace?.Invoke($"{request.Operation.Name}: HTTP {status} after {clock.ElapsedMilliseconds} ms");
                            if (status >= 200 && status < 300)
                            {
                                Volatile.Write(ref _preferredEndpoint, endpointIndex);
                                return new SfResponse(status, bytes, requestId, uri);
                            }

                            var error = DecodeError(status, bytes, requestId, request.Operation.Name);
                            // 503 means the request was not taken on; 504 may have been, so only reads are repeated.
                            if (!(status == 503 || (status == 504 && isRead))) throw error;
                            failure = error;
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (OperationCanceledException ex)
                    {
                        failure = new SfConnectionException(
                            $"{request.Operation.Name}: no answer from {endpoints[endpointIndex]} within {_options.EffectiveRequestTimeout.TotalSeconds:0.#} s.", true, ex)
                        { Operation = request.Operation.Name, RequestId = requestId };
                        // A state change that timed out may still have been applied: do not send it again.
                        if (!isRead) throw failure;
                    }
                    catch (HttpRequestException ex)
                    {
                        failure = new SfConnectionException(
                            $"{request.Operation.Name}: could not reach {endpoints[endpointIndex]}: {Innermost(ex).Message}", false, ex)
                        { Operation = request.Operation.Name, RequestId = requestId };
                        moveEndpoint = true;
                    }
                }

                if (attempt >= _options.MaxRetries) throw failure;
                attempt++;
                if (moveEndpoint && endpoints.Count > 1)
                {
                    endpointIndex = (endpointIndex + 1) % endpoints.Count;
                }
                var delay = BackoffDelay(attempt);
                trace?.Invoke($"{request.Operation.Name}: {failure.ErrorId}; retrying in {delay.TotalMilliseconds:0} ms");
                if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private TimeSpan BackoffDelay(int attempt)
        {
            var ms = _options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            return TimeSpan.FromMilliseconds(Math.Min(ms, 30000));
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private static readonly Regex Tags = new Regex("<[^>]*>", RegexOptions.CultureInvariant);
        private static readonly Regex Spaces = new Regex(@"\s+", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a FabricError body ({"Error":{"Code","Message"}}, or the same fields at the top level) and copes
        /// with an empty body or one that is not JSON at all (a proxy's HTML page).
        /// </summary>
        public static SfFabricException DecodeError(int status, byte[] body, string? requestId, string? operation)
        {
            string? code = null, message = null, snippet = null;
            if (body.Length > 0)
            {
                try
                {
                    using (var doc = JsonDocument.Parse(body))
                    {
                        var root = doc.RootElement;
                        if (root.ValueKind == JsonValueKind.Object)
                        {
                            var error = TryGet(root, "Error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
                            if (TryGet(error, "Code", out var c)) code = AsText(c);
                            if (TryGet(error, "Message", out var m)) message = AsText(m);
                        }
                    }
                }
                catch (JsonException)
                {
                    // not JSON: keep a readable start of it
                }

                if (code == null && message == null)
                {
                    var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 4096));
                    text = Spaces.Replace(Tags.Replace(text, " "), " ").Trim();
                    snippet = text.Length > 200 ? text.Substring(0, 200) + "…" : text;
                    if (snippet.Length == 0) snippet = null;
                }
            }
            return new SfFabricException(status, string.IsNullOrWhiteSpace(code) ? null : code, message, requestId, operation, snippet);
        }

        private static bool TryGet(JsonElement obj, string name, out JsonElement value)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = p.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        private static string? AsText(JsonElement e) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()
            : e.ValueKind == JsonValueKind.Null || e.ValueKind == JsonValueKind.Undefined ? null
            : e.GetRawText();
    }
}
