using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SfBackup.Client.Session
{
    /// <summary>
    /// Whether to trust a gateway's TLS certificate: the platform's chain check, or a pinned thumbprint (clusters
    /// commonly present self-signed certificates), or nothing at all when the operator said so.
    /// </summary>
    public static class ServerCertificatePolicy
    {
        /// <summary>Thumbprints as operators paste them: any case, spaces or colons between bytes.</summary>
        public static string Normalize(string thumbprint)
        {
            var hex = new string((thumbprint ?? "").Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
            if (hex.Length != 40 && hex.Length != 64)
                throw new ArgumentException($"'{thumbprint}' is not a certificate thumbprint (40 or 64 hexadecimal digits).", nameof(thumbprint));
            return hex;
        }

        public static bool Accept(X509Certificate2? certificate, SslPolicyErrors errors, IReadOnlyCollection<string> pinnedThumbprints, bool skipCheck)
        {
            if (skipCheck) return true;
            if (errors == SslPolicyErrors.None) return true;
            if (certificate == null || pinnedThumbprints.Count == 0) return false;
            // A pinned certificate is trusted for its own sake; a name mismatch or an unknown root does not matter.
            return pinnedThumbprints.Contains(certificate.Thumbprint.ToUpperInvariant(), StringComparer.Ordinal)
                || pinnedThumbprints.Contains(Sha256Thumbprint(certificate), StringComparer.Ordinal);
        }

        internal static string Sha256Thumbprint(X509Certificate2 certificate)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                return BitConverter.ToString(sha.ComputeHash(certificate.RawData)).Replace("-", "");
            }
        }
    }

    /// <summary>A gateway certificate the connection refused, as an operator reads it.</summary>
    public sealed class SfRejectedCertificate
    {
        internal SfRejectedCertificate(string subject, string sha1, string sha256, string reason)
        {
            Subject = subject;
            Sha1 = sha1;
            Sha256 = sha256;
            Reason = reason;
        }

        public string Subject { get; }
        public string Sha1 { get; }
        public string Sha256 { get; }
        public string Reason { get; }
    }

    /// <summary>
    /// The certificates a connection's TLS check refused, by gateway (host and port), so that a failed handshake can
    /// name the certificate, its thumbprints and why it was refused instead of the platform's exception text.
    /// </summary>
    public sealed class SfTlsObservation
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SfRejectedCertificate> _rejected =
            new System.Collections.Concurrent.ConcurrentDictionary<string, SfRejectedCertificate>(StringComparer.OrdinalIgnoreCase);

        public SfRejectedCertificate? RejectedFor(Uri gateway) =>
            _rejected.TryGetValue(gateway.Authority, out var found) ? found : null;

        /// <summary>The check, as the handler calls it: the policy decides, and a refusal is kept for the error.</summary>
        internal bool Check(Uri? gateway, X509Certificate2? certificate, SslPolicyErrors errors, IReadOnlyCollection<string> pinned, bool skip)
        {
            var accepted = ServerCertificatePolicy.Accept(certificate, errors, pinned, skip);
            if (gateway == null) return accepted;
            if (accepted)
            {
                _rejected.TryRemove(gateway.Authority, out _);
            }
            else if (certificate != null)
            {
                _rejected[gateway.Authority] = new SfRejectedCertificate(certificate.Subject, certificate.Thumbprint.ToUpperInvariant(),
                    ServerCertificatePolicy.Sha256Thumbprint(certificate), Reason(errors, pinned.Count > 0));
            }
            return accepted;
        }

        private static string Reason(SslPolicyErrors errors, bool pinned)
        {
            var reasons = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0) reasons.Add("its issuer is not trusted here (self-signed or an unknown root)");
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) reasons.Add("it is not issued to the name in the endpoint");
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) reasons.Add("the gateway sent none");
            if (pinned) reasons.Add("its thumbprint is not one of -ServerCertThumbprint");
            return reasons.Count == 0 ? "refused" : string.Join("; ", reasons);
        }
    }
}
