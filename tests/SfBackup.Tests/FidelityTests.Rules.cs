using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>The checks, one per rule id of FIDELITY.md (the document says where each rule comes from).</summary>
public sealed partial class FidelityTests
{
    private const string Stateless = "0b1e9c42-3c55-4f2b-8f4e-0f6a1f0c7a11";
    private const string Service = "/Services/CalcApp~CalcService/$/";

    private static readonly Dictionary<string, Func<FidelityTests, Task>> Rules = new()
    {
        // ---- policies ----
        ["F01"] = async t =>
        {
            var answer = await t.Post(Create, Policy("f01"));
            Is(answer, 201);
            Assert.Equal("", answer.Text);
        },
        ["F02"] = async t => Is(await t.Post(Create, Policy("HourlyFileShareBackupPolicy")), 409, "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS"),
        ["F03"] = async t => Is(await t.Post(PolicyPath("HourlyFileShareBackupPolicy", "Update"), Policy("HourlyFileShareBackupPolicy", maxIncremental: 7)), 200),
        ["F04"] = async t => Is(await t.Post(PolicyPath("nope", "Update"), Policy("nope")), 404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST"),
        ["F05"] = async t =>
        {
            Is(await t.Post(PolicyPath("HourlyFileShareBackupPolicy", "Update"), Policy("renamed", maxIncremental: 9)), 200);
            var kept = await t.Get(PolicyPath("HourlyFileShareBackupPolicy"));
            Assert.Equal("HourlyFileShareBackupPolicy", kept.Json!["Name"]!.ToString());
            Assert.Equal(9, kept.Json["MaxIncrementalBackups"]!.GetValue<int>());
            Is(await t.Get(PolicyPath("renamed")), 404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST");
        },
        ["F06"] = async t =>
        {
            Is(await t.Post(Create, Policy("f06")), 201);
            Is(await t.Post(PolicyPath("f06", "Delete")), 200);
        },
        ["F07"] = async t => Is(await t.Post(PolicyPath("nope", "Delete")), 404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST"),
        ["F08"] = async t => Is(await t.Post(PolicyPath("DailyAzureBackupPolicy", "Delete")), 400, "FABRIC_E_BACKUP_IS_ENABLED"),
        ["F09"] = async t => Is(await t.Post(Create, Policy("f09", """{"ScheduleKind":"FrequencyBased","Interval":"P16D"}""")), 400, "E_INVALIDARG"),
        ["F10"] = async t => Is(await t.Post(Create, Policy("f10", """{"ScheduleKind":"FrequencyBased","Interval":"P15D"}""")), 201),
        ["F11"] = async t => Is(await t.Post(Create, Policy("f11", """{"ScheduleKind":"FrequencyBased","Interval":"PT30S"}""")), 400, "E_INVALIDARG"),
        ["F12"] = async t =>
        {
            Is(await t.Post(Create, Policy("f12", """{"ScheduleKind":"FrequencyBased","Interval":"PT1H30M30S"}""")), 201);
            Assert.Equal(TimeSpan.FromMinutes(90), Duration((await t.Get(PolicyPath("f12"))).Json!["Schedule"]!["Interval"]!));
        },
        ["F13"] = async t =>
        {
            Is(await t.Post(Create, Policy("f13", """{"ScheduleKind":"FrequencyBased","Interval":"PT2H0M40S"}""")), 201);
            Assert.Equal(TimeSpan.FromHours(2), Duration((await t.Get(PolicyPath("f13"))).Json!["Schedule"]!["Interval"]!));
        },
        ["F14"] = async t => Is(await t.Post(Create, Policy("f14", retention: """{"RetentionPolicyType":"Basic","RetentionDuration":"PT30M"}""")), 400, "E_INVALIDARG"),
        ["F15"] = async t =>
        {
            Is(await t.Post(Create, Policy("f15", retention: """{"RetentionPolicyType":"Basic","RetentionDuration":"PT90M","MinimumNumberOfBackups":1}""")), 201);
            Assert.Equal(TimeSpan.FromHours(1), Duration((await t.Get(PolicyPath("f15"))).Json!["RetentionPolicy"]!["RetentionDuration"]!));
        },
        ["F16"] = async t =>
        {
            const string schedule = """{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday","Monday","Friday"],"RunTimes":["0001-01-01T09:00:00Z","0001-01-01T09:00:00Z"]}""";
            Is(await t.Post(Create, Policy("f16", schedule)), 201);
            var read = (await t.Get(PolicyPath("f16"))).Json!["Schedule"]!;
            Assert.Equal(["Monday", "Friday"], read["RunDays"]!.AsArray().Select(d => d!.ToString()));
            Assert.Single(read["RunTimes"]!.AsArray());
        },
        ["F17"] = async t =>
        {
            Is(await t.Post(Create, Policy("f17")), 201);
            Assert.Equal("", (await t.Get(PolicyPath("f17"))).Json!["Storage"]!["FriendlyName"]!.ToString());
        },
        ["F18"] = async t => Assert.Equal("****", (await t.Get(PolicyPath("DailyAzureBackupPolicy"))).Json!["Storage"]!["ConnectionString"]!.ToString()),
        ["F19"] = async t => Is(await t.Post(Create, Policy("f19", maxIncremental: 256)), 400, "E_INVALIDARG"),
        ["F20"] = async t => Is(await t.Post(Create, Policy("")), 400, "E_INVALIDARG"),
        ["F21"] = async t =>
        {
            var entities = (await t.Get(PolicyPath("DailyAzureBackupPolicy", "GetBackupEnabledEntities"))).Json!["Items"]!.AsArray();
            Assert.Contains(entities, e => e!["EntityKind"]!.ToString() == "Application" && e["ApplicationName"]!.ToString() == "fabric:/CalcApp");
        },

        // ---- enable, disable, suspend, resume ----
        ["F22"] = async t => await t.EnablePartition(Stock[0], "HourlyFileShareBackupPolicy"),
        ["F23"] = async t => Is(await t.Post(Partition(Stock[0], "EnableBackup"), """{"BackupPolicyName":"nope"}"""), 404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST"),
        ["F24"] = async t =>
        {
            await t.EnablePartition(Stock[0], "HourlyFileShareBackupPolicy");
            await t.EnablePartition(Stock[0], "DailyAzureBackupPolicy");
            Assert.Equal("DailyAzureBackupPolicy", (await t.Get(Partition(Stock[0], "GetBackupConfigurationInfo"))).Json!["PolicyName"]!.ToString());
        },
        ["F25"] = async t =>
        {
            await t.EnablePartition(Stock[0], "HourlyFileShareBackupPolicy");
            Is(await t.Post(Partition(Stock[0], "DisableBackup"), """{"CleanBackup":false}"""), 202);
        },
        ["F26"] = async t => Is(await t.Post(Partition(Seed, "DisableBackup"), """{"CleanBackup":false}"""), 404, "FABRIC_E_BACKUP_NOT_ENABLED"),
        ["F27"] = async t =>
        {
            await t.EnablePartition(Stock[0], "HourlyFileShareBackupPolicy");
            await t.BackUp(Stock[0]);
            Is(await t.Post(Partition(Stock[0], "DisableBackup"), """{"CleanBackup":true}"""), 202);
            var left = await t.Post("/BackupRestore/$/GetBackups?api-version=6.4",
                "{\"Storage\":" + Share + ",\"BackupEntity\":{\"EntityKind\":\"Partition\",\"ServiceName\":\"fabric:/Inventory/Stock\",\"PartitionId\":\"" + Stock[0] + "\"}}");
            Assert.Empty(left.Json!["Items"]!.AsArray());
        },
        ["F28"] = async t => await t.SuspendAccepted(),
        ["F29"] = async t =>
        {
            await t.SuspendAccepted();
            await t.SuspendAccepted();
        },
        ["F30"] = async t => Is(await t.Post(Partition(Stock[0], "SuspendBackup")), 404, "FABRIC_E_BACKUP_NOT_ENABLED"),
        ["F31"] = async t =>
        {
            await t.EnablePartition(Stock[0], "HourlyFileShareBackupPolicy");
            Is(await t.Post(Partition(Stock[1], "SuspendBackup")), 202);
        },
        ["F32"] = async t => Is(await t.Post(Partition(Seed, "ResumeBackup", "6.2-preview")), 202),
        ["F33"] = async t =>
        {
            Is(await t.Post(Partition(Seed, "ResumeBackup")), 202);
            Is(await t.Post(Partition(Seed, "ResumeBackup")), 202);
        },
        ["F34"] = async t =>
        {
            var second = t._emulator.State.Services["CalcApp~CalcService"].Partitions[1].Id.ToString();
            Is(await t.Post(Partition(second, "ResumeBackup")), 202);
            Assert.True((await t.Get(Partition(second, "GetBackupConfigurationInfo"))).Json!["SuspensionInfo"]!["IsSuspended"]!.GetValue<bool>());
        },
        ["F35"] = async t => Is(await t.Post(Partition(Stock[0], "ResumeBackup")), 404, "FABRIC_E_BACKUP_NOT_ENABLED"),

        // ---- backup ----
        ["F36"] = async t => Is(await t.Post(Partition(Seed, "Backup"), "{}"), 202),
        ["F37"] = async t => Is(await t.Post(Partition(Stock[0], "Backup"), "{}"), 404, "FABRIC_E_BACKUP_NOT_ENABLED"),
        ["F38"] = async t => Is(await t.Post(Partition(Stock[0], "Backup"), $$"""{"BackupStorage":{{Share}}}"""), 202),
        ["F39"] = async t =>
        {
            Is(await t.Post(Partition(Seed, "Backup"), "{}"), 202);
            Is(await t.Post(Partition(Seed, "Backup"), "{}"), 409, "FABRIC_E_BACKUP_IN_PROGRESS");
        },
        ["F40"] = async t =>
        {
            await t.RestoreLatest(Seed);
            Is(await t.Post(Partition(Seed, "Backup"), "{}"), 409, "FABRIC_E_RESTORE_IN_PROGRESS");
        },

        // ---- restore ----
        ["F41"] = async t => await t.RestoreLatest(Seed),
        ["F42"] = async t =>
        {
            t._emulator.Options.FaultAnalysisService = false;
            try
            {
                var latest = (await t.Backups(Seed)).Last()!;
                Is(await t.Post(Partition(Seed, "Restore"), RestoreBody(latest)), 404, "FABRIC_E_FAULT_ANALYSIS_SERVICE_NOT_ENABLED");
            }
            finally
            {
                t._emulator.Options.FaultAnalysisService = true;
            }
        },
        ["F43"] = async t =>
        {
            var latest = (await t.Backups(Seed)).Last()!;
            Is(await t.Post(Partition(Stock[0], "Restore"), RestoreBody(latest)), 404, "FABRIC_E_BACKUP_NOT_ENABLED");
        },
        ["F44"] = async t => Is(await t.Post(Partition(Seed, "Restore"), $$"""{"BackupId":"{{Guid.NewGuid()}}","BackupLocation":"CalcApp\\nowhere.zip"}"""), 500, "E_UNEXPECTED"),
        ["F45"] = async t =>
        {
            var latest = (await t.Backups(Seed)).Last()!;
            Is(await t.Post(Partition(Seed, "Restore"), $$"""{"BackupId":"{{Guid.NewGuid()}}","BackupLocation":{{latest["BackupLocation"]!.ToJsonString()}}}"""),
                400, "FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH");
        },
        ["F46"] = async t =>
        {
            var second = t._emulator.State.Services["CalcApp~CalcService"].Partitions[1].Id.ToString();
            var latest = (await t.Backups(Seed)).Last()!;
            Is(await t.Post(Partition(second, "Restore"), RestoreBody(latest)), 400, "FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH");
        },
        ["F47"] = async t =>
        {
            var backups = t._emulator.State.Partitions[Guid.Parse(Seed)].Backups;
            var incremental = backups.Last(b => b.BackupType == "Incremental");
            lock (t._emulator.State.Gate) backups.RemoveAll(b => b.ChainId == incremental.ChainId && b.BackupType == "Full");
            Is(await t.Post(Partition(Seed, "Restore"), $$"""{"BackupId":"{{incremental.BackupId}}","BackupLocation":{{System.Text.Json.JsonSerializer.Serialize(incremental.Location)}}}"""),
                500, "E_UNEXPECTED");
        },
        ["F72"] = async t =>
        {
            // The seeded chain of the seed partition: Full, then two incrementals, each naming its parent.
            var backups = t._emulator.State.Partitions[Guid.Parse(Seed)].Backups;
            var latest = backups.Last();
            var parent = backups.Single(b => b.BackupId == latest.ParentBackupId);
            Assert.Equal("Incremental", parent.BackupType);
            lock (t._emulator.State.Gate) backups.Remove(parent);
            var answer = await t.Post(Partition(Seed, "Restore"), $$"""{"BackupId":"{{latest.BackupId}}","BackupLocation":{{System.Text.Json.JsonSerializer.Serialize(latest.Location)}}}""");
            Is(answer, 500, "E_UNEXPECTED");
            Assert.Contains(parent.BackupId.ToString(), answer.Text);
        },
        ["F73"] = async t =>
        {
            var folder = Path.Combine(Path.GetTempPath(), "sfbackup-fidelity-" + Guid.NewGuid().ToString("N"));
            var emulator = EmulatorFixture.With("--Emulator:StorageDirectory=" + folder);
            await emulator.InitializeAsync();
            try
            {
                var oldest = emulator.State.Partitions[Guid.Parse(Seed)].Backups.First();
                File.Delete(Path.Combine(folder, oldest.BackupId.ToString("D") + ".json"));
                var answer = await emulator.SendRawAsync("GET", Partition(Seed, "GetBackups"), null, Ct);
                Is(answer, 200);
                var listed = answer.Json!["Items"]!.AsArray().Select(b => b!["BackupId"]!.ToString()).ToList();
                Assert.NotEmpty(listed);
                Assert.DoesNotContain(oldest.BackupId.ToString(), listed);
            }
            finally
            {
                await emulator.DisposeAsync();
                Directory.Delete(folder, recursive: true);
            }
        },
        ["F48"] = async t =>
        {
            await t.RestoreLatest(Seed);
            var latest = (await t.Backups(Seed)).Last()!;
            Is(await t.Post(Partition(Seed, "Restore"), RestoreBody(latest)), 409, "FABRIC_E_RESTORE_IN_PROGRESS");
        },

        // ---- lists and paging ----
        ["F49"] = t => t.Unpaged(async () =>
        {
            var all = await t.Get(Service + "GetBackups?api-version=6.4");
            Assert.True(all.Json!["Items"]!.AsArray().Count >= 3);
            Assert.Equal("", all.Json["ContinuationToken"]?.ToString() ?? "");
        }),
        ["F50"] = t => t.Unpaged(async () =>
        {
            var none = await t.Get(Service + "GetBackups?api-version=6.4");
            var zero = await t.Get(Service + "GetBackups?MaxResults=0&api-version=6.4");
            Assert.Equal(none.Json!["Items"]!.AsArray().Count, zero.Json!["Items"]!.AsArray().Count);
            Assert.Equal("", zero.Json["ContinuationToken"]?.ToString() ?? "");
        }),
        ["F51"] = async t =>
        {
            var token = (await t.Get(Partition(Seed, "GetBackups") + "&MaxResults=1")).Json!["ContinuationToken"]!.ToString();
            Assert.Matches(new Regex($@"^[0-9a-f]{{8}}-[0-9a-f-]{{27}}\+CalcApp\+CalcService\+{Seed}\+\d{{4}}-\d\d-\d\d \d\d\.\d\d\.\d\d\.bkmetadata$"), token);
        },
        ["F52"] = async t =>
        {
            var expected = await t.AllBackupIds(Service + "GetBackups?api-version=6.4");
            var seen = new List<string>();
            var token = "";
            do
            {
                var page = await t.Get(Service + $"GetBackups?ContinuationToken={Uri.EscapeDataString(token)}&MaxResults=1&api-version=6.4");
                seen.AddRange(page.Json!["Items"]!.AsArray().Select(b => b!["BackupId"]!.ToString()));
                token = page.Json["ContinuationToken"]?.ToString() ?? "";
            }
            while (token.Length > 0);
            Assert.Equal(expected.Order(), seen.Order());
        },
        ["F53"] = async t =>
        {
            // As Microsoft's client builds GetBackupsFromBackupLocation: the token pasted into the query as it is.
            var body = $$"""{"Storage":{{Blob}}}""";
            var expected = await t.AllBackupIds("/BackupRestore/$/GetBackups?api-version=6.4", body);
            var seen = new List<string>();
            string? token = null;
            do
            {
                var query = new List<string> { "timeout=60" };
                if (token is not null) query.Add($"ContinuationToken={token}");
                query.Add("MaxResults=2");
                query.Add("api-version=6.4");
                var page = await t.Post("BackupRestore/$/GetBackups?" + string.Join("&", query), body);
                Is(page, 200);
                seen.AddRange(page.Json!["Items"]!.AsArray().Select(b => b!["BackupId"]!.ToString()));
                token = page.Json["ContinuationToken"]?.ToString();
                if (string.IsNullOrEmpty(token)) token = null;
            }
            while (token is not null);
            Assert.True(expected.Count >= 3);
            Assert.Equal(expected.Order(), seen.Order());
        },
        ["F54"] = async t => Is(await t.Get(Partition(Seed, "GetBackups") + "&ContinuationToken=not-a-token&MaxResults=1"), 400, "E_INVALIDARG"),
        ["F55"] = async t =>
        {
            var latest = (await t.Get(Service + "GetBackups?Latest=true&api-version=6.4")).Json!["Items"]!.AsArray();
            Assert.Equal(latest.Count, latest.Select(b => b!["PartitionInformation"]!["Id"]!.ToString()).Distinct().Count());
        },
        ["F56"] = async t =>
        {
            var backups = await t.Backups(Seed);
            var at = backups[1]!["CreationTimeUtc"]!.ToString();
            var from = (await t.Get(Partition(Seed, "GetBackups") + $"&StartDateTimeFilter={at}")).Json!["Items"]!.AsArray();
            var to = (await t.Get(Partition(Seed, "GetBackups") + $"&EndDateTimeFilter={at}")).Json!["Items"]!.AsArray();
            Assert.Contains(from, b => b!["CreationTimeUtc"]!.ToString() == at);
            Assert.Contains(to, b => b!["CreationTimeUtc"]!.ToString() == at);
        },

        // ---- what Microsoft's module sends, as its client builds it ----
        ["F57"] = t => t.Unpaged(async () =>
        {
            // Get-SFPartitionBackupList loops while the answer has a token, and never sends one back: the real
            // service's unpaged answer (no MaxResults) is what lets it end.
            var answer = await t.Get($"Partitions/{Seed}/$/GetBackups?timeout=60&Latest=False&MetadataFromBlob=False&api-version=6.4");
            Is(answer, 200);
            Assert.True(answer.Json!["Items"]!.AsArray().Count >= 3);
            Assert.Equal("", answer.Json["ContinuationToken"]?.ToString() ?? "");
        }),
        ["F58"] = async t => Is(await t.Post($"Partitions/{Seed}/$/Backup?BackupTimeout=10&timeout=60&api-version=6.4", ""), 202),
        ["F59"] = async t =>
        {
            var latest = (await t.Backups(Seed)).Last()!;
            Is(await t.Post($"Partitions/{Seed}/$/Restore?Latest=False&RestoreTimeout=10&timeout=60&MetadataFromBlob=False&api-version=6.4", RestoreBody(latest)), 202);
            var progress = await t.Get($"Partitions/{Seed}/$/GetRestoreProgress?timeout=60&api-version=6.4");
            Is(progress, 200);
            Assert.Equal("Accepted", progress.Json!["RestoreState"]!.ToString());
        },
        ["F60"] = async t =>
        {
            var info = await t.Get($"Partitions/{Seed}/$/GetBackupConfigurationInfo?timeout=60&api-version=6.4");
            Is(info, 200);
            Assert.Equal("DailyAzureBackupPolicy", info.Json!["PolicyName"]!.ToString());
        },

        ["F71"] = t => t.Unpaged(async () =>
        {
            var answer = await t.Get("BackupRestore/BackupPolicies?MaxResults=0&timeout=60&api-version=6.4");
            Is(answer, 200);
            Assert.Equal(2, answer.Json!["Items"]!.AsArray().Count);
            Assert.Equal("", answer.Json["ContinuationToken"]?.ToString() ?? "");
        }),

        // ---- retention ----
        ["F61"] = async t =>
        {
            var kept = await t.RetentionScenario(minimum: 0);
            Assert.Contains(8, kept);
            Assert.Contains(9, kept);
        },
        ["F62"] = async t =>
        {
            var kept = await t.RetentionScenario(minimum: 0);
            Assert.Contains(6, kept); // the newest Full older than the cutoff, which days 7 and 8 build on
            Assert.Contains(7, kept);
        },
        ["F63"] = async t => Assert.Equal([6, 7, 8, 9], await t.RetentionScenario(minimum: 0)),
        ["F64"] = async t =>
        {
            // Deleting stops once only MinimumNumberOfBackups are left, whatever their age.
            var kept = await t.RetentionScenario(minimum: 5);
            Assert.Equal(5, kept.Count);
            Assert.Equal([6, 7, 8, 9], kept.Where(d => d >= 6));
        },

        // ---- errors ----
        ["F65"] = async t =>
        {
            var missing = await t.Get(PolicyPath("nope"));
            Is(missing, 404);
            Assert.Equal("ResourceNotFound", Assert.Single(missing.Headers.GetValues("X-ServiceFabric")));
        },
        ["F66"] = async t => Is(await t.Post(Partition(Seed, "ResumeBackup") + "&timeout=0"), 400, "E_INVALIDARG"),
        ["F67"] = async t => Is(await t.Post(Partition(Stateless, "SuspendBackup")), 400, "FABRIC_E_INVALID_FOR_STATELESS_SERVICES"),
        ["F68"] = t =>
        {
            foreach (var (status, code) in FaultInjector.TransientAnswers)
                Assert.Equal(code == "FABRIC_E_TIMEOUT" ? 504 : 503, status);
            return Task.CompletedTask;
        },
        ["F69"] = async t => Is(await t.Post(Partition(KnownIds.Unknown, "ResumeBackup")), 404, "FABRIC_E_PARTITION_NOT_FOUND"),
        ["F70"] = async t => Is(await t.Post("/Services/CalcApp~Nope/$/SuspendBackup?api-version=6.4"), 404, "FABRIC_E_SERVICE_DOES_NOT_EXIST"),
    };

    private static TimeSpan Duration(JsonNode node) => System.Xml.XmlConvert.ToTimeSpan(node.ToString());

    private static string RestoreBody(JsonNode backup) =>
        $$"""{"BackupId":"{{backup["BackupId"]}}","BackupLocation":{{backup["BackupLocation"]!.ToJsonString()}}}""";

    private async Task<bool> SuspendAccepted()
    {
        Is(await Post(Service + "SuspendBackup?api-version=6.4"), 202);
        return true;
    }

    private async Task RestoreLatest(string id)
    {
        var latest = (await Backups(id)).Last()!;
        Is(await Post(Partition(id, "Restore"), RestoreBody(latest)), 202);
    }

    /// <summary>Runs a check with the real service's paging (no page size unless MaxResults asks for one).</summary>
    private async Task Unpaged(Func<Task> check)
    {
        var before = _emulator.Options.PageSize;
        _emulator.Options.PageSize = 0;
        try
        {
            await check();
        }
        finally
        {
            _emulator.Options.PageSize = before;
        }
    }

    private async Task<List<string>> AllBackupIds(string target, string? body = null)
    {
        var before = _emulator.Options.PageSize;
        _emulator.Options.PageSize = 0;
        try
        {
            var answer = body is null ? await Get(target) : await Post(target, body);
            return [.. answer.Json!["Items"]!.AsArray().Select(b => b!["BackupId"]!.ToString())];
        }
        finally
        {
            _emulator.Options.PageSize = before;
        }
    }

    /// <summary>
    /// A policy that keeps 3 days (MaxIncrementalBackups 2: Full, Incremental, Incremental, Full, ...) on a partition
    /// backed up once a day for ten days, then the clock moved to day 10: the days whose backups are left.
    /// </summary>
    private async Task<List<int>> RetentionScenario(int minimum)
    {
        var retention = $$"""{"RetentionPolicyType":"Basic","RetentionDuration":"P3D","MinimumNumberOfBackups":{{minimum}}}""";
        Is(await Post(Create, Policy("keep3days", retention: retention, maxIncremental: 2)), 201);
        await EnablePartition(Stock[0], "keep3days");
        var start = _emulator.State.Now;
        for (var day = 0; day < 10; day++)
        {
            await BackUp(Stock[0]);
            _emulator.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(10));
        }
        var left = await Backups(Stock[0]);
        return [.. left.Select(b => (int)Math.Floor((DateTimeOffset.Parse(b!["CreationTimeUtc"]!.ToString(), CultureInfo.InvariantCulture) - start).TotalDays)).Order()];
    }
}
