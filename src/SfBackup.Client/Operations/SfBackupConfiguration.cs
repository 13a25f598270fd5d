using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// A cluster's backup configuration as code: its policies (secrets as named references, never values), which
    /// application, service or partition is mapped to which policy, and which are suspended. Read from a cluster,
    /// written to and read from a versioned JSON file (sorted, so that two exports diff line by line), compared with a
    /// cluster, and turned into the ordered steps that make a cluster match it.
    /// </summary>
    public sealed class SfBackupConfiguration
    {
        /// <summary>The file format's version; a file of a later version is refused rather than half understood.</summary>
        public const int CurrentVersion = 1;

        /// <summary>The storage fields that hold secrets, whatever the storage kind.</summary>
        private static readonly string[] SecretFields = { "ConnectionString", "PrimaryPassword", "SecondaryPassword" };

        /// <summary>What a secret is compared as: present or not, never by value (the cluster masks it).</summary>
        private static readonly SecureString SecretPlaceholder = SecretText.FromPlain("(secret)");

        private readonly SortedDictionary<string, JsonObject> _policies = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

        /// <summary>Each mapped entity and its policy.</summary>
        public SortedDictionary<SfConfigEntity, string> Mappings { get; } = new SortedDictionary<SfConfigEntity, string>();

        /// <summary>The entities whose backup is suspended at their own level.</summary>
        public SortedSet<SfConfigEntity> Suspensions { get; } = new SortedSet<SfConfigEntity>();

        public IEnumerable<string> PolicyNames => _policies.Keys;

        public bool HasPolicy(string name) => _policies.ContainsKey(name);

        /// <summary>The secret references of a policy's storage (empty when its storage has no secret).</summary>
        public IReadOnlyList<string> SecretNamesOf(string policyName) =>
            StorageOf(_policies[policyName]) is { } storage
                ? SecretFields.Select(f => storage[f] is JsonObject reference ? reference["SecretName"]?.GetValue<string>() : null).Where(n => n != null).Select(n => n!).ToList()
                : new List<string>();

        /// <summary>
        /// Adds a policy as a cluster answered it: every secret field of its storage becomes a reference named by
        /// <paramref name="secretName"/> (policy name, field), whatever value the cluster sent (masked or not).
        /// </summary>
        public void AddPolicy(BackupPolicy policy, Func<string, string, string> secretName)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var node = (JsonObject)JsonSerializer.SerializeToNode(policy, SfJsonContext.Default.BackupPolicy)!;
            if (StorageOf(node) is { } storage)
            {
                foreach (var field in SecretFields.Where(f => storage[f] != null).ToList())
                    storage[field] = new JsonObject { ["SecretName"] = secretName(policy.Name, field) };
            }
            _policies[policy.Name] = node;
        }

        // ---- the file ----

        /// <summary>The file's text: version first, then policies by name, mappings and suspensions by entity.</summary>
        public string ToJson()
        {
            var root = new JsonObject { ["SfBackupConfiguration"] = CurrentVersion };
            var policies = new JsonArray();
            foreach (var policy in _policies.Values) policies.Add(Sorted(policy));
            root["Policies"] = policies;
            var mappings = new JsonArray();
            foreach (var mapping in Mappings)
            {
                var entry = EntityNode(mapping.Key);
                entry["Policy"] = mapping.Value;
                mappings.Add(entry);
            }
            root["Mappings"] = mappings;
            var suspensions = new JsonArray();
            foreach (var entity in Suspensions) suspensions.Add(EntityNode(entity));
            root["Suspensions"] = suspensions;
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n") + "\n";
        }

        /// <summary>Reads a file's text; a file that is not this format, of a later version, or with a malformed entry is refused with the reason.</summary>
        public static SfBackupConfiguration FromJson(string json)
        {
            JsonObject root;
            try
            {
                root = JsonNode.Parse(json) as JsonObject ?? throw Invalid("the file is not a JSON object");
            }
            catch (JsonException ex)
            {
                throw Invalid("the file is not valid JSON: " + SfText.Clip(ex.Message, 200));
            }
            var version = root["SfBackupConfiguration"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : 0;
            if (version < 1) throw Invalid("it has no \"SfBackupConfiguration\" version: it was not written by Export-SfBackupConfiguration");
            if (version > CurrentVersion) throw Invalid($"it is of version {version}, and this SfBackup reads version {CurrentVersion} and earlier: update SfBackup");

            var configuration = new SfBackupConfiguration();
            foreach (var node in ArrayOf(root, "Policies"))
            {
                if (!(node is JsonObject policy) || !(policy["Name"] is JsonValue name) || string.IsNullOrWhiteSpace(name.ToString()))
                    throw Invalid("a policy has no Name");
                var policyName = name.ToString();
                if (configuration._policies.ContainsKey(policyName)) throw Invalid($"policy {policyName} is there twice");
                if (StorageOf(policy) is { } storage)
                {
                    foreach (var field in SecretFields.Where(f => storage[f] != null))
                    {
                        if (!(storage[field] is JsonObject reference) || string.IsNullOrWhiteSpace(reference["SecretName"]?.ToString()))
                            throw Invalid($"policy {policyName}: {field} must be a reference {{\"SecretName\": \"...\"}}, never the secret itself");
                    }
                }
                configuration._policies[policyName] = (JsonObject)policy.DeepClone();
                try
                {
                    configuration.CanonicalPolicy(policyName);
                }
                catch (Exception ex) when (ex is JsonException || ex is ArgumentException || ex is FormatException || ex is InvalidOperationException)
                {
                    throw Invalid($"policy {policyName} is not a policy Service Fabric accepts: {SfText.Clip(ex.Message, 200)}");
                }
            }
            foreach (var node in ArrayOf(root, "Mappings"))
            {
                var entity = EntityOf(node, "a mapping");
                var policy = node!["Policy"]?.ToString();
                if (string.IsNullOrWhiteSpace(policy)) throw Invalid($"the mapping of {entity} has no Policy");
                if (configuration.Mappings.ContainsKey(entity)) throw Invalid($"{entity} is mapped twice");
                configuration.Mappings[entity] = policy!;
            }
            foreach (var node in ArrayOf(root, "Suspensions"))
            {
                if (!configuration.Suspensions.Add(EntityOf(node, "a suspension"))) throw Invalid($"{EntityOf(node, "a suspension")} is suspended twice");
            }
            return configuration;
        }

        // ---- secrets ----

        /// <summary>
        /// The policy to send: the file's definition with each secret reference replaced by what
        /// <paramref name="resolve"/> gives for its name. A reference it cannot resolve is refused (SfSecretNotResolved):
        /// a policy is never sent without its secret, nor with a masked one.
        /// </summary>
        public BackupPolicy ResolvePolicy(string policyName, Func<string, SecureString?> resolve)
        {
            var node = (JsonObject)_policies[policyName].DeepClone();
            if (StorageOf(node) is { } storage)
            {
                foreach (var field in SecretFields.Where(f => storage[f] is JsonObject).ToList())
                {
                    var name = storage[field]!["SecretName"]!.ToString();
                    var secret = resolve(name);
                    var value = secret == null ? null : SecretText.Reveal(secret);
                    if (string.IsNullOrEmpty(value) || value == BackupStorage.MaskedSecret)
                        throw new SfRefusedInputException("SfSecretNotResolved",
                            $"Policy {policyName}: the secret '{name}' ({field}) could not be resolved, so the policy was not sent.")
                        { RecommendedAction = "Give -Secret @{ '" + name + "' = <SecureString> } or a -SecretResolver that returns it." };
                    storage[field] = value;
                }
            }
            return node.Deserialize(SfJsonContext.Default.BackupPolicy)!;
        }

        // ---- comparing ----

        /// <summary>
        /// The differences that make <paramref name="cluster"/> differ from <paramref name="file"/>: policies by field
        /// (secrets compared by presence only, since clusters mask them), mappings by policy, suspensions by presence.
        /// </summary>
        public static List<SfConfigDifference> Compare(SfBackupConfiguration file, SfBackupConfiguration cluster)
        {
            var differences = new List<SfConfigDifference>();
            foreach (var name in file.PolicyNames.Union(cluster.PolicyNames).OrderBy(n => n, StringComparer.Ordinal))
            {
                if (!cluster.HasPolicy(name)) differences.Add(new SfConfigDifference(SfConfigSection.Policy, SfConfigChange.Missing, name));
                else if (!file.HasPolicy(name)) differences.Add(new SfConfigDifference(SfConfigSection.Policy, SfConfigChange.Extra, name));
                else
                {
                    var want = Flatten(file.CanonicalPolicy(name));
                    var have = Flatten(cluster.CanonicalPolicy(name));
                    foreach (var path in want.Keys.Union(have.Keys).OrderBy(p => p, StringComparer.Ordinal))
                    {
                        want.TryGetValue(path, out var fileValue);
                        have.TryGetValue(path, out var clusterValue);
                        if (!string.Equals(fileValue, clusterValue, StringComparison.Ordinal))
                            differences.Add(new SfConfigDifference(SfConfigSection.Policy, SfConfigChange.Changed, name, path, clusterValue, fileValue));
                    }
                }
            }
            foreach (var entity in file.Mappings.Keys.Union(cluster.Mappings.Keys).OrderBy(e => e))
            {
                var inFile = file.Mappings.TryGetValue(entity, out var filePolicy);
                var inCluster = cluster.Mappings.TryGetValue(entity, out var clusterPolicy);
                var target = Known(entity, cluster.Mappings.Keys);
                if (!inCluster) differences.Add(new SfConfigDifference(SfConfigSection.Mapping, SfConfigChange.Missing, entity.ToString(), "Policy", null, filePolicy) { Entity = target });
                else if (!inFile) differences.Add(new SfConfigDifference(SfConfigSection.Mapping, SfConfigChange.Extra, entity.ToString(), "Policy", clusterPolicy, null) { Entity = target });
                else if (!string.Equals(filePolicy, clusterPolicy, StringComparison.Ordinal))
                    differences.Add(new SfConfigDifference(SfConfigSection.Mapping, SfConfigChange.Changed, entity.ToString(), "Policy", clusterPolicy, filePolicy) { Entity = target });
            }
            foreach (var entity in file.Suspensions.Union(cluster.Suspensions).OrderBy(e => e))
            {
                var target = Known(entity, cluster.Suspensions);
                if (!cluster.Suspensions.Contains(entity)) differences.Add(new SfConfigDifference(SfConfigSection.Suspension, SfConfigChange.Missing, entity.ToString()) { Entity = target });
                else if (!file.Suspensions.Contains(entity)) differences.Add(new SfConfigDifference(SfConfigSection.Suspension, SfConfigChange.Extra, entity.ToString()) { Entity = target });
            }
            return differences;
        }

        /// <summary>
        /// The steps that make the cluster match, in the order they must run: policies are created and updated before
        /// mappings name them, suspensions come last; with <paramref name="prune"/>, what the file does not have is
        /// resumed, disabled, then deleted (a policy only once nothing maps to it). With <paramref name="reapply"/>,
        /// unchanged policies are updated with their own values (the fix for periodic backups that stop after some
        /// runtime upgrades).
        /// </summary>
        public static List<SfConfigStep> Plan(SfBackupConfiguration file, IReadOnlyList<SfConfigDifference> differences, bool prune, bool reapply)
        {
            var steps = new List<SfConfigStep>();
            IEnumerable<SfConfigDifference> Of(SfConfigSection section, SfConfigChange change) => differences.Where(d => d.Section == section && d.Change == change);
            var changedPolicies = new HashSet<string>(Of(SfConfigSection.Policy, SfConfigChange.Changed).Select(d => d.Target), StringComparer.Ordinal);

            steps.AddRange(Of(SfConfigSection.Policy, SfConfigChange.Missing).Select(d => new SfConfigStep(SfConfigAction.CreatePolicy, d.Target, "not in the cluster")));
            foreach (var name in file.PolicyNames)
            {
                if (changedPolicies.Contains(name))
                {
                    var fields = differences.Where(d => d.Section == SfConfigSection.Policy && d.Target == name).Select(d => d.Property);
                    steps.Add(new SfConfigStep(SfConfigAction.UpdatePolicy, name, "differs in " + string.Join(", ", fields)));
                }
                else if (reapply && !differences.Any(d => d.Section == SfConfigSection.Policy && d.Target == name))
                {
                    steps.Add(new SfConfigStep(SfConfigAction.UpdatePolicy, name, "unchanged; updated with its own values (-Reapply)"));
                }
            }
            foreach (var d in differences.Where(d => d.Section == SfConfigSection.Mapping && d.Change != SfConfigChange.Extra))
            {
                steps.Add(new SfConfigStep(SfConfigAction.EnableBackup, d.Target, d.Change == SfConfigChange.Missing ? "not enabled in the cluster" : $"mapped to {d.ClusterValue} in the cluster")
                { Entity = d.Entity, PolicyName = d.FileValue });
            }
            steps.AddRange(Of(SfConfigSection.Suspension, SfConfigChange.Missing).Select(d => new SfConfigStep(SfConfigAction.SuspendBackup, d.Target, "not suspended in the cluster") { Entity = d.Entity }));
            if (prune)
            {
                steps.AddRange(Of(SfConfigSection.Suspension, SfConfigChange.Extra).Select(d => new SfConfigStep(SfConfigAction.ResumeBackup, d.Target, "suspended in the cluster, not in the file (-Prune)") { Entity = d.Entity }));
                steps.AddRange(Of(SfConfigSection.Mapping, SfConfigChange.Extra).Select(d => new SfConfigStep(SfConfigAction.DisableBackup, d.Target, $"mapped to {d.ClusterValue} in the cluster, not in the file (-Prune)") { Entity = d.Entity, PolicyName = d.ClusterValue }));
                steps.AddRange(Of(SfConfigSection.Policy, SfConfigChange.Extra).Select(d => new SfConfigStep(SfConfigAction.DeletePolicy, d.Target, "in the cluster, not in the file (-Prune)")));
            }
            return steps;
        }

        // ---- reading a cluster ----

        /// <summary>
        /// A cluster's configuration: every policy (secrets as references named by <paramref name="secretName"/>), and
        /// per application what is mapped and suspended at its own level (the application's configuration listing
        /// holds it and every service and partition under it with settings of its own).
        /// </summary>
        public static async Task<SfBackupConfiguration> ReadAsync(SfBackupClient client, Func<string, string, string> secretName, CancellationToken cancellationToken)
        {
            var configuration = new SfBackupConfiguration();
            foreach (var policy in await client.GetBackupPolicies().ReadAllAsync(cancellationToken).ConfigureAwait(false))
                configuration.AddPolicy(policy, secretName);
            var keys = new SfPartitionKeys(client);
            foreach (var application in await client.GetApplications().ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (application.Name == null) continue;
                List<BackupConfigurationInfo> infos;
                try
                {
                    infos = await client.GetBackupConfiguration(SfEntity.Application(application.Name)).ReadAllAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SfFabricException ex) when (ex.ErrorCode == "FABRIC_E_BACKUP_NOT_ENABLED")
                {
                    continue;
                }
                foreach (var info in infos)
                {
                    var ownPolicy = info.PolicyName != null && info.PolicyInheritedFrom == info.Kind;
                    var ownSuspension = info.SuspensionInfo?.IsSuspended == true && info.SuspensionInfo.SuspensionInheritedFrom == info.Kind;
                    if (!ownPolicy && !ownSuspension) continue;
                    SfConfigEntity entity;
                    switch (info.Kind)
                    {
                        case BackupEntityKind.Application:
                            entity = new SfConfigEntity(BackupEntityKind.Application, application.Name);
                            break;
                        case BackupEntityKind.Service when info.ServiceName != null:
                            entity = new SfConfigEntity(BackupEntityKind.Service, SfEntity.Service(info.ServiceName).Name!);
                            break;
                        case BackupEntityKind.Partition when info.ServiceName != null && info.PartitionId.HasValue:
                            var service = SfEntity.Service(info.ServiceName).Name!;
                            entity = new SfConfigEntity(BackupEntityKind.Partition, service, await keys.KeyOfAsync(service, info.PartitionId.Value, cancellationToken).ConfigureAwait(false))
                            {
                                PartitionId = info.PartitionId,
                            };
                            break;
                        default:
                            continue;
                    }
                    if (ownPolicy) configuration.Mappings[entity] = info.PolicyName!;
                    if (ownSuspension) configuration.Suspensions.Add(entity);
                }
            }
            return configuration;
        }

        /// <summary>The default secret reference of a policy's field: SfBackup/&lt;policy&gt;/&lt;field&gt;.</summary>
        public static string DefaultSecretName(string policyName, string field) => $"SfBackup/{policyName}/{field}";

        // ---- running a step ----

        /// <summary>
        /// Runs one step. A step whose answer is lost (or that fails without a cluster verdict) is checked by reading
        /// the cluster again: found in place, it counts as applied; otherwise it is sent once more. Errors are thrown.
        /// </summary>
        public static async Task RunStepAsync(SfBackupClient client, SfBackupConfiguration file, SfConfigStep step, Func<string, SecureString?> resolveSecret,
            SfPartitionKeys keys, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await SendAsync(client, file, step, resolveSecret, keys, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (SfConnectionException ex) when (ex.AnswerLost && attempt == 1 && !cancellationToken.IsCancellationRequested)
                {
                    if (await HoldsAsync(client, file, step, keys, cancellationToken).ConfigureAwait(false)) return;
                }
                catch (SfFabricException ex) when (attempt > 1 && AlreadyDone(step, ex))
                {
                    // The first send took effect after all (its answer was lost, and the read came too early).
                    return;
                }
            }
        }

        private static bool AlreadyDone(SfConfigStep step, SfFabricException ex) =>
            step.Action == SfConfigAction.CreatePolicy && ex.StatusCode == 409;

        private static async Task SendAsync(SfBackupClient client, SfBackupConfiguration file, SfConfigStep step, Func<string, SecureString?> resolveSecret,
            SfPartitionKeys keys, CancellationToken cancellationToken)
        {
            switch (step.Action)
            {
                case SfConfigAction.CreatePolicy:
                    await client.CreateBackupPolicyAsync(file.ResolvePolicy(step.Target, resolveSecret), false, cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.UpdatePolicy:
                    await client.UpdateBackupPolicyAsync(file.ResolvePolicy(step.Target, resolveSecret), false, cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.DeletePolicy:
                    await client.DeleteBackupPolicyAsync(step.Target, cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.EnableBackup:
                    await client.EnableBackupAsync(await keys.EntityAsync(step.Entity!, cancellationToken).ConfigureAwait(false), step.PolicyName!, cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.DisableBackup:
                    await client.DisableBackupAsync(await keys.EntityAsync(step.Entity!, cancellationToken).ConfigureAwait(false), false, cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.SuspendBackup:
                    await client.SuspendBackupAsync(await keys.EntityAsync(step.Entity!, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    break;
                case SfConfigAction.ResumeBackup:
                    await client.ResumeBackupAsync(await keys.EntityAsync(step.Entity!, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(step), step.Action, "Unknown step.");
            }
        }

        /// <summary>Whether the cluster already shows the step's effect (after a lost answer).</summary>
        private static async Task<bool> HoldsAsync(SfBackupClient client, SfBackupConfiguration file, SfConfigStep step, SfPartitionKeys keys, CancellationToken cancellationToken)
        {
            switch (step.Action)
            {
                case SfConfigAction.CreatePolicy:
                case SfConfigAction.UpdatePolicy:
                    var now = new SfBackupConfiguration();
                    try
                    {
                        now.AddPolicy(await client.GetBackupPolicyAsync(step.Target, cancellationToken).ConfigureAwait(false), DefaultSecretName);
                    }
                    catch (SfFabricException ex) when (ex.StatusCode == 404)
                    {
                        return false;
                    }
                    return JsonNode.DeepEquals(file.CanonicalPolicy(step.Target), now.CanonicalPolicy(step.Target));
                case SfConfigAction.DeletePolicy:
                    try
                    {
                        await client.GetBackupPolicyAsync(step.Target, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    catch (SfFabricException ex) when (ex.StatusCode == 404)
                    {
                        return true;
                    }
                default:
                    var entity = await keys.EntityAsync(step.Entity!, cancellationToken).ConfigureAwait(false);
                    var kind = step.Entity!.Kind;
                    // An application's or service's listing holds its children too: pick the entity's own entry.
                    var own = (await client.GetBackupConfiguration(entity).ReadAllAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(i => i.Kind == kind
                        && (kind != BackupEntityKind.Partition || i.PartitionId == entity.PartitionId)
                        && (kind != BackupEntityKind.Service || (i.ServiceName != null && SfEntity.Service(i.ServiceName).Name == entity.Name)));
                    if (own == null) return false;
                    var suspended = own.SuspensionInfo?.IsSuspended == true && own.SuspensionInfo.SuspensionInheritedFrom == kind;
                    var mapped = own.PolicyName != null && own.PolicyInheritedFrom == kind;
                    return step.Action switch
                    {
                        SfConfigAction.EnableBackup => mapped && own.PolicyName == step.PolicyName,
                        SfConfigAction.DisableBackup => !mapped,
                        SfConfigAction.SuspendBackup => suspended,
                        _ => !suspended,
                    };
            }
        }

        // ---- helpers ----

        /// <summary>The policy as SfBackup would send it, with every secret replaced by one placeholder: what two sides are compared by.</summary>
        private JsonObject CanonicalPolicy(string name)
        {
            var policy = ResolvePolicy(name, _ => SecretPlaceholder);
            var node = (JsonObject)JsonSerializer.SerializeToNode(policy, SfJsonContext.Default.BackupPolicy)!;
            return Sorted(node);
        }

        private static JsonObject? StorageOf(JsonObject policy) => policy["Storage"] as JsonObject;

        /// <summary>The entity as the cluster knows it (with its partition id there), or, when the cluster lacks it, by name and key alone: a partition id read from another cluster never reaches this one.</summary>
        private static SfConfigEntity Known(SfConfigEntity entity, IEnumerable<SfConfigEntity> fromCluster) =>
            fromCluster.FirstOrDefault(e => e.Equals(entity)) ?? new SfConfigEntity(entity.Kind, entity.Name, entity.PartitionKey);

        private static Dictionary<string, string> Flatten(JsonObject node)
        {
            var flat = new Dictionary<string, string>(StringComparer.Ordinal);
            void Walk(JsonNode? value, string path)
            {
                if (value is JsonObject obj)
                {
                    foreach (var property in obj) Walk(property.Value, path.Length == 0 ? property.Key : path + "." + property.Key);
                }
                else
                {
                    flat[path] = value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? "null";
                }
            }
            Walk(node, "");
            return flat;
        }

        /// <summary>A copy with properties in ordinal order at every level (arrays keep their order).</summary>
        private static JsonObject Sorted(JsonObject node)
        {
            var sorted = new JsonObject();
            foreach (var property in node.OrderBy(p => p.Key, StringComparer.Ordinal))
                sorted[property.Key] = property.Value is JsonObject child ? Sorted(child) : property.Value?.DeepClone();
            return sorted;
        }

        private static JsonObject EntityNode(SfConfigEntity entity)
        {
            var node = new JsonObject { ["Kind"] = entity.Kind.ToString(), ["Name"] = entity.Name };
            if (entity.PartitionKey != null) node["Partition"] = entity.PartitionKey;
            return node;
        }

        private static SfConfigEntity EntityOf(JsonNode? node, string what)
        {
            if (!(node is JsonObject obj)) throw Invalid(what + " is not an object");
            var kindText = obj["Kind"]?.ToString();
            if (!Enum.TryParse<BackupEntityKind>(kindText, true, out var kind) || kind == BackupEntityKind.Invalid)
                throw Invalid($"{what} has Kind '{kindText}': Application, Service or Partition");
            try
            {
                var name = obj["Name"]?.ToString() ?? "";
                // The names of the REST paths: fabric:/App/Svc or App/Svc, checked as every cmdlet checks them.
                name = kind == BackupEntityKind.Application ? SfEntity.Application(name).Name! : SfEntity.Service(name).Name!;
                return new SfConfigEntity(kind, name, obj["Partition"]?.ToString());
            }
            catch (ArgumentException ex)
            {
                throw Invalid($"{what}: {ex.Message}");
            }
        }

        private static IEnumerable<JsonNode?> ArrayOf(JsonObject root, string name) =>
            root[name] switch
            {
                null => Enumerable.Empty<JsonNode?>(),
                JsonArray array => array,
                _ => throw Invalid($"\"{name}\" is not an array"),
            };

        private static SfRefusedInputException Invalid(string reason) =>
            new SfRefusedInputException("SfInvalidConfigurationFile", "This is not a backup configuration SfBackup can apply: " + reason + ".", sameForEveryItem: true);
    }

    /// <summary>Partitions by key and keys by partition, per service, read once per service from one cluster.</summary>
    public sealed class SfPartitionKeys
    {
        private readonly SfBackupClient _client;
        private readonly Dictionary<string, List<SfPartition>> _services = new Dictionary<string, List<SfPartition>>(StringComparer.Ordinal);

        public SfPartitionKeys(SfBackupClient client) => _client = client;

        private async Task<List<SfPartition>> PartitionsAsync(string service, CancellationToken cancellationToken)
        {
            if (!_services.TryGetValue(service, out var partitions))
            {
                partitions = (await _client.GetPartitions(service).ReadAllAsync(cancellationToken).ConfigureAwait(false)).Where(p => p.PartitionInformation != null).ToList();
                _services[service] = partitions;
            }
            return partitions;
        }

        public async Task<string> KeyOfAsync(string service, Guid partitionId, CancellationToken cancellationToken)
        {
            var partition = (await PartitionsAsync(service, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.PartitionId == partitionId);
            return partition == null ? "Id|" + partitionId.ToString("D") : SfRestorePlanner.KeyOf(partition.PartitionInformation!);
        }

        /// <summary>The REST entity of a configuration entity in this cluster: a partition by its key (or the id it was read with).</summary>
        public async Task<SfEntity> EntityAsync(SfConfigEntity entity, CancellationToken cancellationToken)
        {
            switch (entity.Kind)
            {
                case BackupEntityKind.Application:
                    return SfEntity.Application(entity.Name);
                case BackupEntityKind.Service:
                    return SfEntity.Service(entity.Name);
                default:
                    if (entity.PartitionId.HasValue) return SfEntity.Partition(entity.PartitionId.Value);
                    var partition = (await PartitionsAsync(entity.Name, cancellationToken).ConfigureAwait(false))
                        .FirstOrDefault(p => string.Equals(SfRestorePlanner.KeyOf(p.PartitionInformation!), entity.PartitionKey, StringComparison.Ordinal));
                    if (partition == null)
                        throw new SfRefusedInputException("SfPartitionKeyNotFound", $"{entity}: the service has no partition with that key in this cluster.");
                    return SfEntity.Partition(partition.PartitionId);
            }
        }
    }
}
