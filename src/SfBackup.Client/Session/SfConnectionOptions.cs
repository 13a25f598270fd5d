using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace SfBackup.Client.Session
{
    /// <summary>Everything a connection is made of. Validated once, when the connection is built.</summary>
    public sealed class SfConnectionOptions
    {
        /// <summary>The default gateway of a local cluster, and where the SfBackup emulator listens by default.</summary>
        public static readonly Uri DefaultEndpoint = new Uri("http://127.0.0.1:19080/");

        public const long MinServerTimeoutSec = 1;
        public const long MaxServerTimeoutSec = 4294967295;

        public IReadOnlyList<Uri> Endpoints { get; set; } = new[] { DefaultEndpoint };

        /// <summary>When set, sent as api-version on every call instead of each operation's documented version.</summary>
        public string? ApiVersion { get; set; }

        /// <summary>The 'timeout' query parameter (server-side seconds). Null: not sent, the cluster's default (60) holds.</summary>
        public long? ServerTimeoutSec { get; set; }

        /// <summary>How long the client waits for one HTTP answer. Null: the server timeout (or 60 s) plus 30 s.</summary>
        public TimeSpan? RequestTimeout { get; set; }

        /// <summary>Extra attempts after a transient failure (503, 504 on reads, no connection). 0 disables retries.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The first back-off delay; it doubles on each further retry, with random jitter, up to 30 s.</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// How long one call may take in all, every attempt and every wait between them included. Null: the request
        /// timeout times the number of attempts (1 + MaxRetries). At most one day, whatever the server timeout.
        /// </summary>
        public TimeSpan? TotalTimeout { get; set; }

        /// <summary>How long the factory keeps one handler chain before it builds a fresh one (and so resolves names again); at least 1 s.</summary>
        public TimeSpan HandlerLifetime { get; set; } = TimeSpan.FromMinutes(2);

        public bool SkipCertificateCheck { get; set; }

        /// <summary>Gateway certificates to trust by thumbprint (SHA-1 or SHA-256) when the platform's check fails.</summary>
        public IReadOnlyList<string> ServerCertThumbprints { get; set; } = Array.Empty<string>();

        public X509Certificate2? ClientCertificate { get; set; }

        /// <summary>A Microsoft Entra ID (AAD) access token, sent as "Authorization: Bearer" on every call; never shown.</summary>
        public System.Security.SecureString? AccessToken { get; set; }

        public string ClientType { get; set; } = "SfBackup";

        /// <summary>
        /// Send a bearer token or a client certificate to an http:// endpoint anyway. Off by default: over http a token
        /// travels in clear text, and a client certificate is never presented, so neither can work as meant.
        /// </summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        /// <summary>The lowest api-version any operation takes: an override below it would never be sent.</summary>
        public const string LowestApiVersion = "6.0";

        public TimeSpan EffectiveRequestTimeout =>
            RequestTimeout ?? TimeSpan.FromSeconds((ServerTimeoutSec ?? 60) + 30);

        public static readonly TimeSpan MaxTotalTimeout = TimeSpan.FromDays(1);

        public TimeSpan EffectiveTotalTimeout
        {
            get
            {
                var attempts = 1 + Math.Max(0, MaxRetries);
                var total = TotalTimeout ?? (EffectiveRequestTimeout.Ticks > MaxTotalTimeout.Ticks / attempts ? MaxTotalTimeout : TimeSpan.FromTicks(EffectiveRequestTimeout.Ticks * attempts));
                return total > MaxTotalTimeout ? MaxTotalTimeout : total;
            }
        }

        /// <summary>How long one attempt may wait for its answer: the request timeout, within the total.</summary>
        public TimeSpan EffectiveAttemptTimeout => EffectiveRequestTimeout < EffectiveTotalTimeout ? EffectiveRequestTimeout : EffectiveTotalTimeout;

        public static void ValidateServerTimeout(long seconds)
        {
            if (seconds < MinServerTimeoutSec || seconds > MaxServerTimeoutSec)
            {
                throw new ArgumentOutOfRangeException(nameof(seconds), seconds,
                    $"The server timeout must be between {MinServerTimeoutSec} and {MaxServerTimeoutSec} seconds.");
            }
        }

        /// <summary>
        /// The override when it is at least the operation's documented version; otherwise the documented one, so an
        /// override of 6.4 still sends 9.1 to an operation that needs 9.1.
        /// </summary>
        public string ApiVersionFor(Transport.SfOperation operation) =>
            ApiVersion != null && Transport.SfApiVersion.Compare(ApiVersion, operation.DocumentedApiVersion) >= 0
                ? ApiVersion
                : operation.DocumentedApiVersion;

        /// <summary>The settings as one line for views; names how TLS and authentication are set, never a secret.</summary>
        public override string ToString()
        {
            var tls = SkipCertificateCheck ? "no TLS check" : ServerCertThumbprints.Count > 0 ? $"{ServerCertThumbprints.Count} pinned thumbprint(s)" : "TLS checked";
            var auth = AccessToken != null ? "bearer token" : ClientCertificate != null ? "client certificate" : "no client credential";
            var timeout = ServerTimeoutSec.HasValue ? $"server timeout {ServerTimeoutSec} s, " : "";
            return $"{timeout}wait {EffectiveRequestTimeout.TotalSeconds:0} s, {MaxRetries} retries, {tls}, {auth}";
        }

        /// <summary>
        /// major.minor, with -preview or without ("6.4", "6.2-preview"). Checked by hand: building a Regex for it cost
        /// every new session a few milliseconds before its first call.
        /// </summary>
        public static bool IsValidApiVersion(string? value)
        {
            const string preview = "-preview";
            if (value == null) return false;
            var version = value.EndsWith(preview, StringComparison.Ordinal) ? value.Substring(0, value.Length - preview.Length) : value;
            var dot = version.IndexOf('.');
            return dot > 0 && dot < version.Length - 1 && AllDigits(version, 0, dot) && AllDigits(version, dot + 1, version.Length);
        }

        private static bool AllDigits(string text, int from, int to)
        {
            for (var i = from; i < to; i++)
                if (text[i] < '0' || text[i] > '9') return false;
            return true;
        }

        internal SfConnectionOptions ValidatedCopy()
        {
            if (Endpoints == null || Endpoints.Count == 0) throw new ArgumentException("At least one endpoint is needed.", nameof(Endpoints));
            var endpoints = Endpoints.Select(NormalizeEndpoint).ToArray();
            if (ServerTimeoutSec.HasValue) ValidateServerTimeout(ServerTimeoutSec.Value);
            if (ApiVersion != null && !IsValidApiVersion(ApiVersion))
                throw new Transport.SfRefusedInputException("SfInvalidApiVersion", $"'{Input.SfText.Clip(ApiVersion)}' is not an api-version such as 6.4 or 6.2-preview.");
            if (ApiVersion != null && Transport.SfApiVersion.Compare(ApiVersion, LowestApiVersion) < 0)
                throw new Transport.SfRefusedInputException("SfInvalidApiVersion",
                    $"No operation takes api-version {ApiVersion}: the lowest any Backup Restore or discovery operation takes is {LowestApiVersion}, and an override never lowers an operation's own version, so it would never be sent.");
            if (ClientCertificate != null && !ClientCertificate.HasPrivateKey)
                throw new Transport.SfRefusedInputException("SfCertificateWithoutPrivateKey",
                    $"The client certificate {ClientCertificate.Subject} ({ClientCertificate.Thumbprint}) has no private key here, so the TLS handshake cannot use it. Pass the certificate from a store or PFX that holds its key.");
            if ((AccessToken != null || ClientCertificate != null) && !AllowUnencryptedAuthentication)
            {
                var plain = endpoints.FirstOrDefault(e => e.Scheme == Uri.UriSchemeHttp);
                if (plain != null)
                    throw new Transport.SfRefusedInputException("SfCredentialOverHttp",
                        AccessToken != null
                            ? $"{plain} is http://: the access token would travel in clear text. Use the gateway's https:// address, or pass -AllowUnencryptedAuthentication if you mean it."
                            : $"{plain} is http://: a client certificate is only presented over https://, so the cluster would never see it. Use the gateway's https:// address, or pass -AllowUnencryptedAuthentication if you mean it.");
            }
            if (MaxRetries < 0 || MaxRetries > 10) throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0..10.");
            if (RequestTimeout.HasValue && RequestTimeout.Value <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(RequestTimeout), "The request timeout must be positive.");
            if (TotalTimeout.HasValue && TotalTimeout.Value <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(TotalTimeout), "The total timeout must be positive.");
            return new SfConnectionOptions
            {
                Endpoints = new SfEndpointList(endpoints),
                ApiVersion = ApiVersion,
                ServerTimeoutSec = ServerTimeoutSec,
                RequestTimeout = RequestTimeout,
                MaxRetries = MaxRetries,
                RetryDelay = RetryDelay < TimeSpan.Zero ? TimeSpan.Zero : RetryDelay,
                TotalTimeout = TotalTimeout,
                HandlerLifetime = HandlerLifetime < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : HandlerLifetime,
                SkipCertificateCheck = SkipCertificateCheck,
                ServerCertThumbprints = (ServerCertThumbprints ?? Array.Empty<string>()).Select(ServerCertificatePolicy.Normalize).Distinct().ToArray(),
                ClientCertificate = ClientCertificate,
                AccessToken = AccessToken,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                ClientType = string.IsNullOrWhiteSpace(ClientType) ? "SfBackup" : ClientType,
            };
        }

        /// <summary>Absolute http(s) URI, no query, no user info (credentials never travel in the URL), ending in '/'.</summary>
        internal static Uri NormalizeEndpoint(Uri endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"'{endpoint}' is not an http or https address.", nameof(endpoint));
            if (!string.IsNullOrEmpty(endpoint.UserInfo))
                throw new ArgumentException("An endpoint must not carry a user name or password; use a client certificate.", nameof(endpoint));
            if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
                throw new ArgumentException($"An endpoint must not carry a query or fragment: '{endpoint.GetLeftPart(UriPartial.Path)}'.", nameof(endpoint));
            var text = endpoint.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }
    }
}
