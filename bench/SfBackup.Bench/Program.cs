using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Emulator;

// Usage: dotnet run -c Release --project bench/SfBackup.Bench [-- iterations]
//        dotnet bench/SfBackup.Bench/bin/Release/net10.0/SfBackup.Bench.dll gateway [latency-ms]   (LatencyGateway.cs)
//        dotnet bench/SfBackup.Bench/bin/Release/net10.0/SfBackup.Bench.dll bulk-raw URL [items] [in-flight]
// Runs each scenario through SfBackupClient and through a raw HttpClient doing the same request, against the in-process emulator on 127.0.0.1, and prints the ratios. Bounded in count.
if (args.Length > 0 && args[0] == "gateway")
{
    LatencyGateway.Run(args.Length > 1 && int.TryParse(args[1], out var latency) ? Math.Clamp(latency, 0, 10_000) : 5);
    return;
}
if (args.Length > 1 && args[0] == "bulk-raw")
{
    await LatencyGateway.RawBulkAsync(new Uri(args[1]), args.Length > 2 ? int.Parse(args[2]) : 10_000, args.Length > 3 ? int.Parse(args[3]) : 32);
    return;
}
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? Math.Clamp(n, 100, 100_000) : 10_000;
var partition = Guid.Parse("1daae3f5-7fd6-42e9-b1ba-8c05f873994d");

await using var app = EmulatorHost.Build(["--urls", "http://127.0.0.1:0", "--Emulator:JournalSize=1", "--Emulator:PageSize=2"]);
await app.StartAsync();
var baseUri = new Uri(app.Urls.Single());
using var raw = new HttpClient { BaseAddress = baseUri };
// The same request as the client's: the Service Fabric headers it always sends (a request id is added per call).
raw.DefaultRequestHeaders.Add("X-ServiceFabricClientType", "SfBackup");
raw.DefaultRequestHeaders.Accept.ParseAdd("application/json");
using var connection = new SfClusterConnection(new SfConnectionOptions { Endpoints = [baseUri] });
var client = new SfBackupClient(connection);

// The raw side's paging over the partition's backups: each page's bytes go to readPage, which returns the next token.
// The state is passed in, so that the readers need no closure: the baseline allocates nothing it did not before.
async Task RawBackupPagesAsync<TState>(TState state, Func<byte[], TState, string?> readPage)
{
    string? token = null;
    do
    {
        var url = $"/Partitions/{partition}/$/GetBackups?api-version=6.4" + (token is null ? "" : "&ContinuationToken=" + Uri.EscapeDataString(token));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-ServiceFabricRequestId", Guid.NewGuid().ToString());
        using var response = await raw.SendAsync(request);
        token = readPage(await response.Content.ReadAsByteArrayAsync(), state);
    }
    while (!string.IsNullOrEmpty(token));
}

var scenarios = new (string Name, Func<Task> Raw, Func<Task> Client)[]
{
    ("GET restore progress (typed answer)",
        async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/Partitions/{partition}/$/GetRestoreProgress?api-version=6.2-preview");
            request.Headers.Add("X-ServiceFabricRequestId", Guid.NewGuid().ToString());
            using var response = await raw.SendAsync(request);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            _ = doc.RootElement.GetProperty("RestoredLsn").GetString();
        },
        async () => _ = (await client.GetPartitionRestoreProgressAsync(partition)).RestoredLsn),
    ("POST enable backup (JSON body)",
        async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/Partitions/{partition}/$/EnableBackup?api-version=6.2-preview")
            {
                Content = new StringContent("""{"BackupPolicyName":"DailyAzureBackupPolicy"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-ServiceFabricRequestId", Guid.NewGuid().ToString());
            using var response = await raw.SendAsync(request);
            response.EnsureSuccessStatusCode();
        },
        async () => await client.EnablePartitionBackupAsync(partition, "DailyAzureBackupPolicy")),
    ("GET backup list, every page",
        () => RawBackupPagesAsync<object?>(null, static (bytes, _) =>
        {
            using var doc = JsonDocument.Parse(bytes);
            foreach (var item in doc.RootElement.GetProperty("Items").EnumerateArray()) _ = item.GetProperty("BackupId").GetString();
            return doc.RootElement.GetProperty("ContinuationToken").GetString();
        }),
        async () => _ = (await client.GetBackups(SfEntity.Partition(partition)).ReadAllAsync()).Count),
    // The same pages decoded the same way on both sides (the client's own source-generated metadata, every field of
    // every backup into objects): what is left is the client's own cost, its handlers, paging and bookkeeping.
    ("GET backup list, same typed decode",
        () => RawBackupPagesAsync(new List<BackupInfo>(), static (bytes, backups) =>
        {
            var page = JsonSerializer.Deserialize(bytes, SfJsonContext.Default.SfPagedListBackupInfo)!;
            if (page.Items is { } items) backups.AddRange(items);
            return page.ContinuationToken;
        }),
        async () => _ = (await client.GetBackups(SfEntity.Partition(partition)).ReadAllAsync()).Count),
};

Console.WriteLine($"SfBackup benchmark: {iterations} calls per side per scenario, emulator at {baseUri}");
Console.WriteLine($"{"scenario",-38} {"raw µs",8} {"client µs",10} {"time x",7} {"raw B/op",10} {"client B/op",12} {"alloc x",8}");
foreach (var (name, rawRun, clientRun) in scenarios)
{
    // Warm-up: at least 300 pairs and 3 s, so that the runtime has promoted the hot code of both sides (and of the
    // in-process emulator) to its optimized tier. A shorter warm-up left whichever list scenario ran first at about
    // twice its later cost, on both sides.
    var warmUp = Stopwatch.StartNew();
    for (var i = 0; i < 300 || warmUp.Elapsed < TimeSpan.FromSeconds(3); i++) { await rawRun(); await clientRun(); }

    // Time: the two paths interleaved call by call, the first of each pair alternating, medians compared, so
    // drift on a shared machine hits both alike.
    var rawTimes = new double[iterations];
    var clientTimes = new double[iterations];
    for (var i = 0; i < iterations; i++)
    {
        if (i % 2 == 0)
        {
            rawTimes[i] = await Time(rawRun);
            clientTimes[i] = await Time(clientRun);
        }
        else
        {
            clientTimes[i] = await Time(clientRun);
            rawTimes[i] = await Time(rawRun);
        }
    }

    // Allocations: whole blocks in A-B-B-A order.
    var block = Math.Max(50, iterations / 4);
    var rawBytes = await Allocated(rawRun, block) + await Allocated(rawRun, block);
    var clientBytes = await Allocated(clientRun, block) + await Allocated(clientRun, block);
    var rawMedian = Median(rawTimes);
    var clientMedian = Median(clientTimes);
    Console.WriteLine($"{name,-38} {rawMedian,8:0.0} {clientMedian,10:0.0} {clientMedian / rawMedian,7:0.00} {rawBytes / (2.0 * block),10:0} {clientBytes / (2.0 * block),12:0} {(double)clientBytes / rawBytes,8:0.00}");
}
Console.WriteLine("target: time x <= 1.10 per call. The raw side reads one field of a JSON document, except in the");
Console.WriteLine("'same typed decode' line, where it decodes the pages into the same objects as the client does.");
Console.WriteLine("time x and alloc x are client ÷ raw HttpClient in this same run; times are medians of interleaved calls;");
Console.WriteLine("allocations are process-wide (the in-process emulator's share is the same on both sides).");

static async Task<double> Time(Func<Task> run)
{
    var start = Stopwatch.GetTimestamp();
    await run();
    return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
}

static async Task<long> Allocated(Func<Task> run, int count)
{
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < count; i++) await run();
    return GC.GetTotalAllocatedBytes(precise: true) - before;
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
