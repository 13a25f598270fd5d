using System;
using System.Globalization;

namespace SfBackup.Client.Transport
{
    /// <summary>Service Fabric api-versions (6.2-preview, 6.4, 9.1): compared numerically, a preview below its release.</summary>
    public static class SfApiVersion
    {
        public static bool TryParse(string? text, out (int Major, int Minor, int Release) version)
        {
            version = default;
            if (string.IsNullOrEmpty(text)) return false;
            var preview = text!.EndsWith("-preview", StringComparison.OrdinalIgnoreCase);
            var core = preview ? text.Substring(0, text.Length - "-preview".Length) : text;
            var parts = core.Split('.');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
            version = (major, minor, preview ? 0 : 1);
            return true;
        }

        /// <summary>Negative, zero or positive as left is below, equal to or above right; unparsable text sorts ordinally.</summary>
        public static int Compare(string left, string right)
        {
            if (!TryParse(left, out var a) || !TryParse(right, out var b)) return string.CompareOrdinal(left, right);
            return a.CompareTo(b);
        }
    }
}
