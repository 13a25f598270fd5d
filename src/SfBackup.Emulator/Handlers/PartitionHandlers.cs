using System.Globalization;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>Backup now, restore, their progress, skip auto-restore, and backups found in a storage location.</summary>
public sealed partial class BackupHandlers
{
    public object? BackupPartition(BrsCall call)
    {
        var body = call.OptionalJsonObject();
        var storage = OptionalStorage(body, "BackupStorage");
        var timeoutMinutes = MinutesQuery(call, "BackupTimeout");
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (storage is null)
            {
                var policyName = partition.EffectivePolicy ?? throw FabricErrorException.NotEnabled($"partition {partition.Id}");
                storage = PolicyNamed(policyName).Storage;
            }
            var now = state.Now;
            if (partition.CurrentBackup is { } running && running.IsRunning(now))
                throw new FabricErrorException(409, "FABRIC_E_BACKUP_IN_PROGRESS", $"A backup of partition {partition.Id} is already in progress.");
            if (partition.CurrentRestore is not null)
                throw new FabricErrorException(409, "FABRIC_E_RESTORE_IN_PROGRESS", $"Partition {partition.Id} is being restored.");

            state.Watch(partition);
            partition.CurrentBackup = new BackupRun
            {
                BackupId = Guid.NewGuid(),
                StartedAt = now,
                AcceptedUntil = now + state.AcceptedFor,
                DoneAt = now + state.AcceptedFor + state.BackupTakes,
                TimeoutAt = now + TimeSpan.FromMinutes(timeoutMinutes),
                StorageKind = ValidateStorage(storage),
                StorageKey = EmulatorState.StorageKeyOf(storage),
                Location = EmulatorState.LocationOf(partition, now),
                // A cluster takes "****" as the secret, accepts the backup, and fails it when the storage refuses.
                Fails = partition.FailsBackups || HasMaskedSecret(storage) || state.StoragesUnreachable,
                FailureMessage = state.StoragesUnreachable ? UnreachableFailure : HasMaskedSecret(storage) ? MaskedSecretFailure : null,
            };
            partition.CurrentBackupRecorded = false;
            return null;
        }
    }

    public object? BackupProgress(BrsCall call)
    {
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (partition.CurrentBackup is not { } run) return new JsonObject { ["BackupState"] = "Invalid" };
            var now = state.Now;
            var status = run.State(now);
            var answer = new JsonObject
            {
                ["BackupState"] = status,
                ["TimeStampUtc"] = Iso(status is "Success" or "Timeout" or "Failure" ? run.EndsAt : run.StartedAt),
            };
            if (status == "Success" && partition.Backups.FirstOrDefault(b => b.BackupId == run.BackupId) is { } record)
            {
                answer["BackupId"] = record.BackupId.ToString();
                answer["BackupLocation"] = record.Location;
                answer["EpochOfLastBackupRecord"] = EpochOf(record.DataLossNumber, record.ConfigurationNumber, call.Wants62Shapes);
                answer["LsnOfLastBackupRecord"] = record.Lsn.ToString(CultureInfo.InvariantCulture);
            }
            answer["FailureError"] = status switch
            {
                "Timeout" => new JsonObject { ["Code"] = "FABRIC_E_TIMEOUT", ["Message"] = "The backup did not finish within BackupTimeout." },
                "Failure" => new JsonObject { ["Code"] = "E_FAIL", ["Message"] = run.FailureMessage ?? "The backup failed (the emulator was told to fail this partition's backups)." },
                _ => null,
            };
            return answer;
        }
    }

    /// <summary>
    /// From a backup of a partition with the same kind and key range (the same partition, or its counterpart in
    /// another service or, through --Emulator:StorageDirectory, another cluster), at the location the backup was
    /// written to, whose chain back to its full backup is there. A backup of another partition must be in the
    /// storage given, or in the storage of this partition's policy.
    /// </summary>
    public object? Restore(BrsCall call)
    {
        var body = call.RequireJsonObject();
        if (!Guid.TryParse(StringField(body, "BackupId"), out var backupId)) throw FabricErrorException.InvalidArgument("BackupId must be a GUID.");
        var location = StringField(body, "BackupLocation");
        if (string.IsNullOrWhiteSpace(location)) throw FabricErrorException.InvalidArgument("BackupLocation is required.");
        var storage = OptionalStorage(body, "BackupStorage");
        if (HasMaskedSecret(storage)) throw FabricErrorException.InvalidArgument(MaskedSecretFailure);
        var timeoutMinutes = MinutesQuery(call, "RestoreTimeout");
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (!options.FaultAnalysisService)
                throw new FabricErrorException(404, "FABRIC_E_FAULT_ANALYSIS_SERVICE_NOT_ENABLED", "Restore needs the Fault Analysis Service, which this cluster does not run.");
            // RestorePartitionRequestOperation: the storage given, else the storage of the policy that applies (none: 404).
            string storageKey;
            if (storage is null)
            {
                var policyName = partition.EffectivePolicy ?? throw FabricErrorException.NotEnabled($"partition {partition.Id}");
                storageKey = EmulatorState.StorageKeyOf(PolicyNamed(policyName).Storage);
            }
            else storageKey = EmulatorState.StorageKeyOf(storage);
            if (state.StoragesUnreachable) throw StorageUnreachable();

            // The backup is read from that storage at BackupLocation: nothing there is the recovery point manager's IOException.
            var known = state.BackupsInStorages().ToList();
            var record = known.FirstOrDefault(b => b.StorageKey == storageKey && string.Equals(b.Location, location, StringComparison.OrdinalIgnoreCase))
                ?? throw new FabricErrorException(500, "E_UNEXPECTED", $"Unable to get recovery point details: no backup at '{Clip(location)}' in this storage.");
            if (record.BackupId != backupId)
                throw new FabricErrorException(400, "FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH", $"The backup at '{Clip(location)}' is not backup {backupId}.");
            var target = partition.Owner;
            if (!record.Owner.SameKeyRange(target))
                throw new FabricErrorException(400, "FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH",
                    $"Backup {backupId} is of partition {record.Owner.PartitionId} ({record.Owner.Kind} {record.Owner.KeyRange}); partition {partition.Id} is {target.Kind} {target.KeyRange}.");
            // GetBackupLocationsInBackupChainAsync: a chain with a member gone (its full backup, or any parent) cannot be listed.
            if (EmulatorState.ChainGap(record, known.Where(b => b.StorageKey == storageKey).ToList()) is { } gap)
                throw new FabricErrorException(500, "E_UNEXPECTED", $"Unable to get backup locations in chain: {gap}.");

            var now = state.Now;
            if (partition.CurrentRestore is not null)
                throw new FabricErrorException(409, "FABRIC_E_RESTORE_IN_PROGRESS", $"Partition {partition.Id} is already being restored.");
            if (partition.CurrentBackup is { } backup && backup.IsRunning(now))
                throw new FabricErrorException(409, "FABRIC_E_BACKUP_IN_PROGRESS", $"A backup of partition {partition.Id} is in progress.");

            var takes = TimeSpan.FromSeconds(options.RestoreSeconds);
            state.Watch(partition);
            partition.CurrentRestore = new RestoreRun
            {
                Source = record, StartedAt = now, AcceptedUntil = now + state.AcceptedFor, DoneAt = now + state.AcceptedFor + takes,
                TimeoutAt = now + TimeSpan.FromMinutes(timeoutMinutes),
                // Accepted like any restore; the replica fails it when it reads the chain.
                FailureMessage = state.RestoreFailure(record),
            };
            return null;
        }
    }

    public object? GetRestoreProgress(BrsCall call)
    {
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (partition.CurrentRestore is { } run)
            {
                // Under way: only the state is meaningful, and the time stamp is "not set", as clusters answer.
                return new JsonObject { ["RestoreState"] = run.State(state.Now), ["TimeStampUtc"] = "0001-01-01T00:00:00Z" };
            }
            var restore = partition.LastRestore;
            if (restore is null) return new JsonObject { ["RestoreState"] = "Invalid" };
            var answer = new JsonObject
            {
                ["RestoreState"] = restore.State,
                ["TimeStampUtc"] = Iso(restore.TimeStampUtc ?? DateTimeOffset.MinValue),
            };
            if (restore.State == "Success")
            {
                // 6.2-era answers name the epoch fields ...Number; 6.4+ name them ...Version. 64-bit values travel as strings.
                answer["RestoredEpoch"] = EpochOf(restore.DataLossNumber, restore.ConfigurationNumber, call.Wants62Shapes);
                answer["RestoredLsn"] = restore.Lsn.ToString(CultureInfo.InvariantCulture);
            }
            answer["FailureError"] = restore.State switch
            {
                "Timeout" => new JsonObject { ["Code"] = "FABRIC_E_TIMEOUT", ["Message"] = "The restore did not finish within RestoreTimeout." },
                "Failure" => new JsonObject { ["Code"] = "E_FAIL", ["Message"] = restore.FailureMessage },
                _ => null,
            };
            return answer;
        }
    }

    public object? SkipAutoRestore(BrsCall call)
    {
        lock (state.Gate)
        {
            StatefulPartition(call.EntityKey).SkipAutoRestore = true;
            return null;
        }
    }

    /// <summary>POST /BackupRestore/$/GetBackups: the backups in one storage, optionally of one entity.</summary>
    public object? BackupsInStorage(BrsCall call)
    {
        var body = call.RequireJsonObject();
        var storage = OptionalStorage(body, "Storage") ?? throw FabricErrorException.InvalidArgument("Storage is required.");
        if (HasMaskedSecret(storage)) throw FabricErrorException.InvalidArgument(MaskedSecretFailure);
        if (state.StoragesUnreachable) throw StorageUnreachable();
        var latest = Field(body, "Latest") is JsonValue l && l.TryGetValue<bool>(out var b) && b;
        var start = ParseDate("StartDateTimeFilter", StringField(body, "StartDateTimeFilter"));
        var end = ParseDate("EndDateTimeFilter", StringField(body, "EndDateTimeFilter"));
        var key = EmulatorState.StorageKeyOf(storage);

        // What the storage holds is listed whether or not this cluster has the entity (a rebuilt cluster reads the old
        // one's backups this way), so the entity filter compares names and ids only.
        Func<BackupOwner, bool> wanted = _ => true;
        if (Field(body, "BackupEntity") is JsonObject entity)
        {
            var kind = StringField(entity, "EntityKind");
            wanted = kind switch
            {
                "Application" => SameName(StringField(entity, "ApplicationName"), o => o.ApplicationName),
                "Service" => SameName(StringField(entity, "ServiceName"), o => o.ServiceName),
                "Partition" => Guid.TryParse(StringField(entity, "PartitionId"), out var id)
                    ? o => o.PartitionId == id
                    : throw FabricErrorException.InvalidArgument("PartitionId must be a GUID."),
                _ => throw FabricErrorException.InvalidArgument($"EntityKind '{kind}' is not Application, Service or Partition."),
            };
        }

        lock (state.Gate)
        {
            var records = Filter(state.BackupsInStorages().Where(r => r.StorageKey == key && wanted(r.Owner)), latest, start, end);
            return BackupPage(records, call);
        }
    }

    private static Func<BackupOwner, bool> SameName(string name, Func<BackupOwner, string> of)
    {
        if (string.IsNullOrWhiteSpace(name)) throw FabricErrorException.InvalidArgument("The entity's name is required.");
        var id = EmulatorState.IdOf(name);
        return o => string.Equals(EmulatorState.IdOf(of(o)), id, StringComparison.OrdinalIgnoreCase);
    }
}
