using System;
using System.Management.Automation;
using SfBackup.Client.Input;

namespace SfBackup.PowerShell.Binding
{
    /// <summary>
    /// Lets -PartitionId take a Guid, a GUID string, or any object that carries one: our partition objects,
    /// Microsoft's (PartitionId, or PartitionInformation.Id), Import-Csv rows, hashtables.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class PartitionIdTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>
        /// For optional -PartitionId parameters bound by property name: a null or empty value (an object whose
        /// PartitionId is not set, such as a service's -PassThru result) means "not given" (Guid.Empty).
        /// </summary>
        public bool AllowMissing { get; set; }

        [System.Runtime.CompilerServices.MethodImpl(SfCmdlet.HotPath)]
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = Unwrap(inputData);
            if (AllowMissing && (value == null || (value is string text && text.Length == 0))) return Guid.Empty;
            if (EntityIds.TryGetPartitionId(value, ReadProperty, out var id)) return id;
            throw new ArgumentTransformationMetadataException(
                $"{Describe(value)} is not a partition: give a partition id (GUID), or an object with a PartitionId or PartitionInformation.Id property.");
        }

        internal static object? Unwrap(object? value) =>
            value is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : value;

        private static object? ReadProperty(object target, string name)
        {
            var pso = target as PSObject ?? PSObject.AsPSObject(target);
            try
            {
                return Unwrap(pso.Properties[name]?.Value);
            }
            catch (GetValueException)
            {
                return null;
            }
        }

        /// <summary>
        /// The value as the user wrote it: an object's or hashtable's PartitionId (or Id) by name and value, since a
        /// hashtable's own text is only its type name; cut at SfText.EchoLimit.
        /// </summary>
        private static string Describe(object? value)
        {
            if (value == null) return "null";
            foreach (var name in new[] { "PartitionId", "Id" })
            {
                var inner = value is System.Collections.IDictionary map ? (map.Contains(name) ? map[name] : FindKey(map, name)) : ReadProperty(value, name);
                if (inner != null && !(inner is System.Collections.IDictionary)) return $"{name} '{SfText.Clip(Convert.ToString(inner, System.Globalization.CultureInfo.InvariantCulture))}'";
            }
            return $"'{SfText.Clip(value.ToString())}'";
        }

        private static object? FindKey(System.Collections.IDictionary map, string name)
        {
            foreach (System.Collections.DictionaryEntry entry in map)
                if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase)) return entry.Value;
            return null;
        }
    }

    /// <summary>Checks that a -ServiceName / -ApplicationName is a Service Fabric name in one of the accepted forms.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateSfNameAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var text = PartitionIdTransformationAttribute.Unwrap(arguments)?.ToString();
            // Null or empty is "not given": optional parameters allow it, Mandatory ones refuse it before this runs.
            if (string.IsNullOrEmpty(text)) return;
            try
            {
                EntityIds.ToEntityId(text ?? "");
            }
            catch (ArgumentException ex)
            {
                throw new ValidationMetadataException(ex.Message, ex);
            }
        }
    }

    /// <summary>
    /// Checks that a backup policy name can stand in a path of its own (EntityIds.RequirePolicyName): never '.' or
    /// '..', no '/', and no wildcard unless the cmdlet takes wildcards.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateSfPolicyNameAttribute : ValidateArgumentsAttribute
    {
        /// <summary>For Get- cmdlets that match names with wildcards.</summary>
        public bool AllowWildcards { get; set; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = PartitionIdTransformationAttribute.Unwrap(arguments);
            foreach (var item in value is string[] many ? many : new[] { value?.ToString() })
            {
                if (string.IsNullOrEmpty(item)) continue;
                try
                {
                    EntityIds.RequirePolicyName(item, AllowWildcards);
                }
                catch (ArgumentException ex)
                {
                    throw new ValidationMetadataException(ex.Message, ex);
                }
            }
        }
    }

    /// <summary>
    /// A TimeSpan parameter's range (ValidateRange takes no TimeSpan bounds on Windows PowerShell 5.1). The bounds are
    /// written as TimeSpan text: "00:01:00", "7.00:00:00".
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateTimeSpanRangeAttribute : ValidateArgumentsAttribute
    {
        public ValidateTimeSpanRangeAttribute(string minimum, string maximum)
        {
            Minimum = TimeSpan.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture);
            Maximum = TimeSpan.Parse(maximum, System.Globalization.CultureInfo.InvariantCulture);
        }

        public TimeSpan Minimum { get; }
        public TimeSpan Maximum { get; }

        /// <summary>Seconds are refused: the cluster keeps whole minutes and would drop them without a word.</summary>
        public bool WholeMinutes { get; set; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (!(PartitionIdTransformationAttribute.Unwrap(arguments) is TimeSpan value)) return;
            if (value < Minimum || value > Maximum)
                throw new ValidationMetadataException($"{value} is outside the range {Minimum} to {Maximum}.");
            if (WholeMinutes && value.Ticks % TimeSpan.TicksPerMinute != 0)
                throw new ValidationMetadataException($"{value} is not a whole number of minutes: the cluster keeps whole minutes and would drop the rest.");
        }
    }
}
