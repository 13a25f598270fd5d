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

        private static string Sha256Thumbprint(X509Certificate2 certificate)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                return BitConverter.ToString(sha.ComputeHash(certificate.RawData)).Replace("-", "");
            }
        }
    }
}
