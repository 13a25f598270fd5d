using System;
using System.Collections;
using System.Globalization;

namespace SfBackup.Client.Input
{
    /// <summary>
    /// Turns what users and other tools hand us into the ids the REST API wants. PowerShell-free: the binding layer
    /// passes a property reader, so xUnit can drive every shape with plain objects.
    /// </summary>
    public static class EntityIds
    {
        /// <summary>
        /// fabric:/app/svc, /app/svc, app/svc or app~svc → app~svc (the 6.0+ serviceId / applicationId form).
        /// </summary>
        public static string ToEntityId(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            var text = name.Trim();
            if (text.StartsWith("fabric:", StringComparison.OrdinalIgnoreCase)) text = text.Substring("fabric:".Length);
            text = text.Trim('/').Replace('/', '~');
            if (text.Length == 0)
                throw Refused($"'{SfText.Clip(name)}' is not a Service Fabric name such as fabric:/MyApp/MyService.");
            foreach (var segment in text.Split('~'))
            {
                if (segment.Length == 0 || segment.Trim().Length != segment.Length)
                    throw Refused($"'{SfText.Clip(name)}' has an empty or padded segment.");
                // A '.' or '..' segment is a relative path step: the request would reach another route.
                if (segment == "." || segment == "..")
                    throw Refused($"'{SfText.Clip(name)}' has a '{segment}' segment, which is not a name: the request would reach another route.");
                foreach (var ch in segment) RequireNameCharacter(name, ch, allowWildcards: false);
            }
            return text;
        }

        /// <summary>
        /// A backup policy name that can stand in a path of its own: not empty, not '.' or '..', no '/', '\', '?',
        /// '#' or control character, and (unless <paramref name="allowWildcards"/>, for Get- cmdlets) no '*' or '['.
        /// </summary>
        public static string RequirePolicyName(string? name, bool allowWildcards = false)
        {
            if (string.IsNullOrWhiteSpace(name)) throw Refused("A backup policy name is required.");
            if (name!.Trim().Length != name.Length) throw Refused($"The policy name '{SfText.Clip(name)}' starts or ends with white space.");
            if (name == "." || name == "..")
                throw Refused($"'{name}' is not a policy name: the request would reach another route.");
            foreach (var ch in name)
            {
                if (ch == '/') throw Refused($"The policy name '{SfText.Clip(name)}' contains '/', which would split its path.");
                RequireNameCharacter(name, ch, allowWildcards);
            }
            return name;
        }

        private static void RequireNameCharacter(string name, char ch, bool allowWildcards)
        {
            if (ch == '?' || ch == '#' || ch == '\\' || char.IsControl(ch))
                throw Refused($"'{SfText.Clip(name)}' contains {Shown(ch)}, which a Service Fabric name cannot hold.");
            if (!allowWildcards && (ch == '*' || ch == '['))
                throw Refused($"'{SfText.Clip(name)}' contains the wildcard '{ch}'. Only Get-SfApplication -Name and Get-SfBackupPolicy -Name take wildcards; pipe their output into this command instead.");
        }

        private static string Shown(char ch) => char.IsControl(ch) ? $"a control character (U+{(int)ch:X4})" : $"'{ch}'";

        private static Transport.SfRefusedInputException Refused(string message) => new Transport.SfRefusedInputException("SfInvalidName", message);

        /// <summary>app~svc (or any accepted form) → fabric:/app/svc.</summary>
        public static string ToFabricName(string name) => "fabric:/" + ToEntityId(name).Replace('~', '/');

        /// <summary>
        /// Finds a partition id in a value: a Guid, a GUID string, or an object with PartitionId, PartitionInformation.Id
        /// (the shapes Microsoft's SF modules emit) or Id, as <paramref name="property"/> reads them.
        /// </summary>
        public static bool TryGetPartitionId(object? value, Func<object, string, object?> property, out Guid partitionId)
        {
            return TryGetPartitionId(value, property, 0, out partitionId);
        }

        private static bool TryGetPartitionId(object? value, Func<object, string, object?> property, int depth, out Guid partitionId)
        {
            partitionId = Guid.Empty;
            switch (value)
            {
                case null:
                    return false;
                case Guid g:
                    partitionId = g;
                    return g != Guid.Empty;
                case string s:
                    return Guid.TryParse(s.Trim(), out partitionId) && partitionId != Guid.Empty;
                case IDictionary map:
                    if (depth > 2) return false;
                    foreach (DictionaryEntry entry in map)
                    {
                        var key = entry.Key as string;
                        if ((string.Equals(key, "PartitionId", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "Id", StringComparison.OrdinalIgnoreCase))
                            && TryGetPartitionId(entry.Value, property, depth + 1, out partitionId)) return true;
                    }
                    return false;
                case IEnumerable _:
                    return false;
            }

            if (depth > 2) return false;
            foreach (var name in new[] { "PartitionId", "PartitionInformation", "Id" })
            {
                var inner = property(value, name);
                if (inner != null && TryGetPartitionId(inner, property, depth + 1, out partitionId)) return true;
            }

            // Last resort: something whose text form is a GUID (a Uri-like wrapper, a PowerShell string wrapper).
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            return text != null && Guid.TryParse(text.Trim(), out partitionId) && partitionId != Guid.Empty;
        }
    }
}
