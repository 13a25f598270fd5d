using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using SfBackup.Client.Session;

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// The one HTTP pipeline: builds the URI (path, operation query, api-version, timeout), sends it through the
    /// connection's handler chain (failover, Service Fabric headers, trace: <see cref="SfHttpStack"/>), retries what
    /// is safe to retry through a Polly pipeline, and turns every non-2xx answer into <see cref="SfFabricException"/>.
    /// </summary>
    /// <remarks>
    /// The retry rules:
    /// <list type="bullet">
    /// <item>a 503 is retried for every operation: the cluster did not take the request on;</item>
    /// <item>a 504, or no answer within the request timeout, is retried for reads only: a state change may have been applied;</item>
    /// <item>a failed connection is retried for every operation only when the request provably never left (refused,
    /// name not resolved); otherwise for reads only, so no Backup or Restore is ever sent twice;</item>
    /// <item>waits grow exponentially from RetryDelay with random jitter (at most 30 s), a Retry-After from the cluster
    /// wins, and the whole call, waits included, ends at the connection's total timeout.</item>
    /// </list>
    /// </remarks>
    public sealed class SfTransport
    {
        public const string RequestIdHeader = "X-ServiceFabricRequestId";
        public const string ClientTypeHeader = "X-ServiceFabricClientType";

        private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        private static readonly ResiliencePropertyKey<Attempt> CurrentKey = new ResiliencePropertyKey<Attempt>("SfBackup.Attempt");
        private readonly Task<SfHttpStack> _stack;
        private readonly SfConnectionOptions _options;
        // Built on the first retryable failure, not at connect: most calls never need it, and building it costs a
        // new process tens of milliseconds of compilation.
        private readonly Lazy<ResiliencePipeline<Outcome>?> _retry;

        internal SfTransport(Task<SfHttpStack> stack, SfConnectionOptions options)
        {
            _stack = stack;
            _options = options;
            _retry = new Lazy<ResiliencePipeline<Outcome>?>(() => BuildRetry(options), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The full URI a request goes to on one endpoint (also what -WhatIf and verbose output show).</summary>
        public Uri BuildUri(Uri endpoint, SfRequest request) =>
            new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + PathAndQuery(request));

        private string PathAndQuery(SfRequest request)
        {
            var version = Uri.EscapeDataString(_options.ApiVersionFor(request.Operation));
            // Most calls: no parameters of their own and no server timeout.
            if (request.Query.Count == 0 && !_options.ServerTimeoutSec.HasValue) return request.Path + "?api-version=" + version;

            var sb = new StringBuilder(request.Path);
            var separator = '?';
            foreach (var pair in request.Query)
            {
                sb.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }
            sb.Append(separator).Append("api-version=").Append(version);
            if (_options.ServerTimeoutSec.HasValue)
            {
                SfConnectionOptions.ValidateServerTimeout(_options.ServerTimeoutSec.Value);
                sb.Append("&timeout=").Append(_options.ServerTimeoutSec.Value.ToString(CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        public async Task<SfResponse> SendAsync(SfRequest request, Action<string>? trace, CancellationToken cancellationToken)
        {
            var attempt = new Attempt(request, new SfCallInfo(request.Operation.Name, PathAndQuery(request), trace), request.Body?.Invoke());
            var started = DateTime.UtcNow;
            // Most calls end after one attempt, whose own deadline is never later than the total: no call-wide deadline yet.
            var outcome = await SendOnceAsync(attempt, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure != null && outcome.Retryable && _options.MaxRetries > 0)
            {
                // The retry pipeline starts from this first outcome; the total bound, waits included, runs from the call's start.
                using (var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var left = _options.EffectiveTotalTimeout - (DateTime.UtcNow - started);
                    total.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                    try
                    {
                        outcome = await RetryAsync(attempt, outcome, total.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        throw new SfConnectionException(
                            $"{request.Operation.Name}: no answer within {_options.EffectiveTotalTimeout.TotalSeconds:0.#} s in all (the connection's total timeout).", true, ex)
                        { Operation = request.Operation.Name, RequestId = attempt.Call.RequestId };
                    }
                }
            }
            if (outcome.Failure != null) throw outcome.Failure;
            return outcome.Response!;
        }

        private async Task<Outcome> RetryAsync(Attempt attempt, Outcome first, CancellationToken cancellationToken)
        {
            attempt.Pending = first;
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(CurrentKey, attempt);
            try
            {
                return await _retry.Value!.ExecuteAsync((ctx, state) => state.Transport.NextAsync(state.Attempt, ctx.CancellationToken), context,
                    (Transport: this, Attempt: attempt)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>The pipeline's attempts: the first one replays the outcome already in hand, the rest send.</summary>
        private ValueTask<Outcome> NextAsync(Attempt attempt, CancellationToken cancellationToken)
        {
            var pending = attempt.Pending;
            attempt.Pending = null;
            return pending != null ? new ValueTask<Outcome>(pending) : SendOnceAsync(attempt, cancellationToken);
        }

        /// <summary>One send, on the preferred endpoint (the failover handler moves it when that one refuses).</summary>
        private async ValueTask<Outcome> SendOnceAsync(Attempt attempt, CancellationToken cancellationToken)
        {
            var stack = _stack.Status == TaskStatus.RanToCompletion ? _stack.GetAwaiter().GetResult() : await _stack.ConfigureAwait(false);
            var request = attempt.Request;
            var isRead = request.Operation.Method == HttpMethod.Get;
            var call = attempt.Call;
            call.Endpoint = stack.Endpoints.Preferred;
            using (var message = new SfRequestMessage(request.Operation.Method, stack.Endpoints.UriFor(call.Endpoint, call.PathAndQuery), call))
            // A token that can never be cancelled needs no link: a plain timed source is cheaper.
            using (var deadline = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : new CancellationTokenSource())
            {
                if (attempt.Body != null)
                {
                    message.Content = new ByteArrayContent(attempt.Body);
                    message.Content.Headers.ContentType = JsonContentType;
                }
                deadline.CancelAfter(_options.EffectiveAttemptTimeout);
                try
                {
                    using (var response = await stack.Client.SendAsync(message, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false))
                    {
                        var bytes = response.Content == null ? Array.Empty<byte>() : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        var status = (int)response.StatusCode;
                        var uri = response.RequestMessage?.RequestUri ?? message.RequestUri!;
                        if (status >= 200 && status < 300)
                        {
                            // Whatever answers 2xx with a page or plain text is not a gateway: its "success" is none.
                            if (!SfAnswerShape.CouldBeGateway(bytes, response.Content?.Headers.ContentType?.MediaType))
                                return new Outcome(NotGateway(request.Operation.Name, uri, status, response.Content?.Headers.ContentType?.MediaType, call.RequestId), false, null);
                            // The cluster's time is read from lists only (Get-SfBackupHealth ages backups by it): parsing it costs every call.
                            return new Outcome(new SfResponse(status, bytes, call.RequestId, uri) { ServerDate = request.Operation.IsPaged ? response.Headers.Date : null });
                        }

                        var error = DecodeError(status, bytes, call.RequestId, request.Operation.Name);
                        // 503: not taken on, so anything may be sent again; 504: perhaps applied, so only reads.
                        return new Outcome(error, status == 503 || (status == 504 && isRead), RetryAfter(response));
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex)
                {
                    var failure = new SfConnectionException(
                        $"{request.Operation.Name}: no answer from {message.RequestUri!.GetLeftPart(UriPartial.Authority)} within {_options.EffectiveAttemptTimeout.TotalSeconds:0.#} s.", true, ex)
                    { Operation = request.Operation.Name, RequestId = call.RequestId };
                    // A state change that timed out may still have been applied: it is not sent again.
                    return new Outcome(failure, isRead, null);
                }
                catch (HttpRequestException ex)
                {
                    var target = message.RequestUri!;
                    // A TLS handshake that failed, or a peer that does not speak HTTP, fails the same way for every
                    // request: nothing reached a gateway, and nothing is retried.
                    var final = SfSendFailure.Deterministic(ex, target, stack.Tls);
                    var failure = final != null
                        ? new SfConnectionException($"{request.Operation.Name}: {final.Value.Message}", false, ex)
                        { Operation = request.Operation.Name, RequestId = call.RequestId, Unreachable = true, Final = true, Advice = final.Value.Advice }
                        : new SfConnectionException(
                            $"{request.Operation.Name}: could not reach {target.GetLeftPart(UriPartial.Authority)}: {SfSendFailure.Innermost(ex).Message}", false, ex)
                        { Operation = request.Operation.Name, RequestId = call.RequestId, Unreachable = SfSendFailure.NeverLeft(ex) };
                    return new Outcome(failure, final == null && (isRead || failure.Unreachable), null);
                }
            }
        }

        private static SfNotGatewayException NotGateway(string operation, Uri uri, int status, string? mediaType, string requestId) =>
            new SfNotGatewayException(
                $"{operation}: {uri.GetLeftPart(UriPartial.Authority)} answered HTTP {status} with {(string.IsNullOrEmpty(mediaType) ? "a body" : mediaType)} that is not JSON: " +
                "this endpoint is not a Service Fabric gateway, so nothing it answered counts as done.")
            { Operation = operation, RequestId = requestId };

        /// <summary>The retry pipeline (none with MaxRetries 0). Its waits end at the call's total deadline.</summary>
        private static ResiliencePipeline<Outcome>? BuildRetry(SfConnectionOptions options)
        {
            if (options.MaxRetries == 0) return null;
            return new ResiliencePipelineBuilder<Outcome>().AddRetry(new RetryStrategyOptions<Outcome>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result?.Retryable == true),
                // The cluster's Retry-After wins over the back-off.
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(CurrentKey, out var attempt))
                    {
                        attempt.Call.Attempt = args.AttemptNumber + 1;
                        attempt.Call.Trace?.Invoke($"{attempt.Request.Operation.Name}: {args.Outcome.Result?.Failure?.ErrorId}; retrying in {args.RetryDelay.TotalMilliseconds:0} ms");
                    }
                    return default;
                },
            }).Build();
        }

        /// <summary>A Retry-After header as a delay: seconds, or a date from now.</summary>
        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>The state of one call across its attempts.</summary>
        private sealed class Attempt
        {
            public Attempt(SfRequest request, SfCallInfo call, byte[]? body)
            {
                Request = request;
                Call = call;
                Body = body;
            }

            public SfRequest Request { get; }
            public SfCallInfo Call { get; }
            public byte[]? Body { get; }

            /// <summary>An outcome the retry pipeline takes as its first attempt instead of sending.</summary>
            public Outcome? Pending { get; set; }
        }

        /// <summary>What one send came to: an answer, or a failure and whether it may be sent again.</summary>
        private sealed class Outcome
        {
            public Outcome(SfResponse response) => Response = response;

            public Outcome(SfClientException failure, bool retryable, TimeSpan? retryAfter)
            {
                Failure = failure;
                Retryable = retryable;
                RetryAfter = retryAfter;
            }

            public SfResponse? Response { get; }
            public SfClientException? Failure { get; }
            public bool Retryable { get; }
            public TimeSpan? RetryAfter { get; }
        }

        /// <summary>Built when an answer that is not JSON is first read, not with the transport's other statics.</summary>
        private static class Markup
        {
            public static readonly Regex Tags = new Regex("<[^>]*>", RegexOptions.CultureInvariant);
            public static readonly Regex Spaces = new Regex(@"\s+", RegexOptions.CultureInvariant);
        }

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
                    text = Markup.Spaces.Replace(Markup.Tags.Replace(text, " "), " ").Trim();
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
