using System.Text.Json.Nodes;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>
/// Answers whose values have the wrong JSON type, sent over HTTP: the client either reads them or reports one
/// SfFabricException with the request id, never another exception type. Every value is tried with every
/// replacement, so the run is the same each time.
/// </summary>
public sealed class AnswerFuzzTests
{
    private static readonly JsonNode?[] Replacements =
        [null, JsonValue.Create(7), JsonValue.Create(-1.5), JsonValue.Create("text"), JsonValue.Create(""), JsonValue.Create(true), new JsonArray(1, "x"), new JsonObject { ["odd"] = 1 }];

    private const string Backups = """
        {"ContinuationToken":"","Items":[{"BackupId":"3a056ac9-7206-43c3-8424-6f6103003eba","BackupChainId":"3a056ac9-7206-43c3-8424-6f6103003eba",
          "ApplicationName":"fabric:/CalcApp","ServiceName":"fabric:/CalcApp/CalcService",
          "PartitionInformation":{"ServicePartitionKind":"Int64Range","Id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","LowKey":"0","HighKey":"9"},
          "BackupLocation":"a\\b.zip","BackupType":"Full","EpochOfLastBackupRecord":{"DataLossVersion":"1","ConfigurationVersion":"2"},
          "LsnOfLastBackupRecord":"261","CreationTimeUtc":"2018-01-01T09:00:55Z","ServiceManifestVersion":"1.0","FailureError":null}]}
        """;

    private const string Policy = """
        {"Name":"p","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,
         "Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday"],"RunTimes":["0001-01-01T09:00:00Z"]},
         "Storage":{"StorageKind":"FileShare","Path":"\\\\s\\b","PrimaryUserName":"u","PrimaryPassword":"****"},
         "RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":5,"RetentionDuration":"P30D"}}
        """;

    /// <summary>Every place a value stands in the document, as a path of property names and indexes.</summary>
    private static List<List<object>> Paths(JsonNode? node, List<object> prefix)
    {
        var all = new List<List<object>> { prefix };
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj) all.AddRange(Paths(value, [.. prefix, key]));
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) all.AddRange(Paths(array[i], [.. prefix, i]));
                break;
        }
        return all;
    }

    private static string Mutate(string json, List<object> path, JsonNode? replacement)
    {
        var root = JsonNode.Parse(json)!;
        if (path.Count == 0) return replacement?.ToJsonString() ?? "null";
        var parent = root;
        foreach (var step in path.Take(path.Count - 1)) parent = step is string key ? parent![key] : parent![(int)step];
        var copy = replacement?.DeepClone();
        if (path[^1] is string last) parent!.AsObject()[last] = copy;
        else parent!.AsArray()[(int)path[^1]] = copy;
        return root.ToJsonString();
    }

    public static TheoryData<string> Documents() => new("backups", "policy", "restore");

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_value_of_the_wrong_type_is_read_or_reported_as_one_failure(string document)
    {
        var json = document switch { "backups" => Backups, "policy" => Policy, _ => RestoreProgressAnswer };
        var bodies = Paths(JsonNode.Parse(json), []).SelectMany(path => Replacements.Select(r => Mutate(json, path, r))).ToList();
        var next = 0;
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, bodies[Interlocked.Increment(ref next) - 1]);
        });
        var client = new SfBackupClient(server.Connect(o => o.MaxRetries = 0));
        var (read, reported) = (0, 0);

        foreach (var _ in bodies)
        {
            try
            {
                switch (document)
                {
                    case "backups": await client.GetBackups(SfEntity.Partition(Partition)).NextPageAsync(TestContext.Current.CancellationToken); break;
                    case "policy": await client.GetBackupPolicyAsync("p", TestContext.Current.CancellationToken); break;
                    default: await client.GetPartitionRestoreProgressAsync(Partition, TestContext.Current.CancellationToken); break;
                }
                read++;
            }
            catch (SfFabricException ex)
            {
                Assert.Equal(200, ex.StatusCode);
                Assert.Contains("could not be read", ex.Message);
                Assert.NotNull(ex.RequestId);
                reported++;
            }
        }

        Assert.Equal(bodies.Count, read + reported);
        Assert.True(read > 0 && reported > 0, $"{document}: {read} read, {reported} reported of {bodies.Count}");
    }
}
