using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// The retry rules of the HTTP stack (IHttpClientFactory handlers under a Polly pipeline), each against a scripted
/// server: jittered back-off, Retry-After, the total bound, failover, and no Backup or Restore sent twice.
/// </summary>
public sealed partial class ResilienceTests
{
    private static readonly Guid Partition = Guid.Parse(KnownIds.Seed);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ScriptedServer> Unavailable(int times, string? retryAfter = null) =>
        ScriptedServer.StartAsync(async (context, n) =>
        {
            if (n <= times)
            {
                context.Response.StatusCode = 503;
                if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
                await context.Response.WriteAsync("""{"Error":{"Code":"FABRIC_E_NOT_READY","Message":"reconfiguring"}}""");
                return;
            }
            context.Response.StatusCode = 202;
        });

    /// <summary>The waits the transport announced in its trace ("retrying in N ms").</summary>
    private static List<double> Waits(IEnumerable<string> trace) =>
        [.. trace.Select(l => RetryingIn().Match(l)).Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value))];

    [GeneratedRegex(@"retrying in (\d+) ms")]
    private static partial Regex RetryingIn();

    [Fact]
    public async Task Back_off_grows_with_random_jitter()
    {
        await using var server = await Unavailable(int.MaxValue);
        var waits = new List<List<double>>();
        for (var call = 0; call < 6; call++)
        {
            var trace = new List<string>();
            var client = new SfBackupClient(server.Connect(o => { o.RetryDelay = TimeSpan.FromMilliseconds(40); o.MaxRetries = 3; }), trace.Add);
            await Assert.ThrowsAsync<SfFabricException>(() => client.GetPartitionRestoreProgressAsync(Partition, Ct));
            waits.Add(Waits(trace));
        }

        Assert.All(waits, w => Assert.Equal(3, w.Count));
        // Jitter: the same retry of six calls does not wait the same time every time, and no wait is the bare 40·2ⁿ.
        Assert.True(waits.Select(w => w[0]).Distinct().Count() > 1, string.Join(" | ", waits.Select(w => string.Join(",", w))));
        Assert.True(waits.SelectMany(w => w).Count(ms => ms is 40 or 80 or 160) < 6);
        // Exponential on average: the third wait is longer than the first.
        Assert.True(waits.Average(w => w[2]) > waits.Average(w => w[0]));
    }

    [Fact]
    public async Task A_Retry_After_from_the_cluster_is_honoured()
    {
        await using var server = await Unavailable(1, retryAfter: "1");
        var trace = new List<string>();
        var client = new SfBackupClient(server.Connect(o => o.RetryDelay = TimeSpan.Zero), trace.Add);

        var response = await client.ResumePartitionBackupAsync(Partition, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal([1000d], Waits(trace));
        var gap = server.Arrivals[1].At - server.Arrivals[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"the retry came after {gap}");
    }

    [Fact]
    public async Task The_whole_call_waits_included_ends_at_the_total_timeout()
    {
        // Retry-After asks for a minute; the connection allows two seconds in all.
        await using var server = await Unavailable(int.MaxValue, retryAfter: "60");
        var client = new SfBackupClient(server.Connect(o => { o.TotalTimeout = TimeSpan.FromSeconds(2); o.MaxRetries = 10; }));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SfConnectionException>(() => client.GetPartitionRestoreProgressAsync(Partition, Ct));

        Assert.True(ex.IsTimeout);
        Assert.Contains("in all", ex.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(5));
        Assert.Equal(1, server.RequestCount);
    }

    /// <summary>Reads the request, then drops the connection without answering: it may have been applied.</summary>
    private static Task<ScriptedServer> DropsAfterReading() =>
        ScriptedServer.StartAsync(async (context, _) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Abort();
        });

    [Fact]
    public async Task A_Backup_whose_connection_drops_after_it_was_sent_is_not_sent_again()
    {
        await using var server = await DropsAfterReading();
        var client = new SfBackupClient(server.Connect(o => o.MaxRetries = 3));

        var ex = await Assert.ThrowsAsync<SfConnectionException>(() => client.BackupPartitionAsync(Partition, null, null, Ct));

        Assert.False(ex.IsTimeout);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_Restore_whose_connection_drops_after_it_was_sent_is_not_sent_again()
    {
        await using var server = await DropsAfterReading();
        var client = new SfBackupClient(server.Connect(o => o.MaxRetries = 3));

        await Assert.ThrowsAsync<SfConnectionException>(() =>
            client.RestorePartitionAsync(Partition, new Client.Models.RestorePartitionDescription { BackupId = Guid.NewGuid(), BackupLocation = "x.zip" }, null, Ct));

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_read_whose_connection_drops_is_sent_again()
    {
        await using var server = await DropsAfterReading();
        var client = new SfBackupClient(server.Connect(o => o.MaxRetries = 2));

        await Assert.ThrowsAsync<SfConnectionException>(() => client.GetPartitionRestoreProgressAsync(Partition, Ct));

        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task A_Backup_that_never_left_because_the_gateway_refused_goes_to_the_next_gateway_at_once()
    {
        await using var server = await Unavailable(0);
        var dead = DeadEndpoint();
        var trace = new List<string>();
        using var connection = new Client.Session.SfClusterConnection(new Client.Session.SfConnectionOptions { Endpoints = [dead, server.BaseUri], RetryDelay = TimeSpan.FromSeconds(5) });

        var response = await new SfBackupClient(connection, trace.Add).BackupPartitionAsync(Partition, null, null, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.Empty(Waits(trace)); // failover is not a retry: no back-off
        Assert.Contains(trace, l => l.Contains("did not take the connection"));
    }

    [Fact]
    public async Task A_Backup_to_a_gateway_that_refuses_is_retried_since_nothing_was_sent()
    {
        var trace = new List<string>();
        using var connection = new Client.Session.SfClusterConnection(new Client.Session.SfConnectionOptions { Endpoints = [DeadEndpoint()], RetryDelay = TimeSpan.Zero, MaxRetries = 2 });

        var ex = await Assert.ThrowsAsync<SfConnectionException>(() => new SfBackupClient(connection, trace.Add).BackupPartitionAsync(Partition, null, null, Ct));

        Assert.Equal("SfConnectionFailed", ex.ErrorId);
        Assert.Equal(2, Waits(trace).Count);
    }

    [Fact]
    public async Task After_the_handler_lifetime_calls_go_over_a_new_connection()
    {
        await using var server = await Unavailable(0);
        using var connection = server.Connect(o => o.HandlerLifetime = TimeSpan.FromSeconds(1));
        var client = new SfBackupClient(connection);

        await client.ResumePartitionBackupAsync(Partition, Ct);
        await client.ResumePartitionBackupAsync(Partition, Ct);
        await Task.Delay(1500, Ct);
        await client.ResumePartitionBackupAsync(Partition, Ct);

        var ids = server.Arrivals.Select(a => a.ConnectionId).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[1], ids[2]);
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused.</summary>
    private static Uri DeadEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
