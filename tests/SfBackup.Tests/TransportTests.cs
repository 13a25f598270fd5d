using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>The transport against servers that misbehave in the ways real gateways and proxies do.</summary>
public sealed class TransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_non_json_502_page_becomes_one_exception_with_status_and_a_readable_snippet()
    {
        await using var server = await ScriptedServer.AnswerAsync(502, "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream sf-gw-3 did not answer</p></body></html>");
        var client = new SfBackupClient(server.Connect());

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => client.ResumePartitionBackupAsync(Partition, Ct));

        Assert.Equal(502, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.Equal("Http502", ex.ErrorId);
        Assert.Equal(SfErrorKind.Unknown, ex.Kind);
        Assert.Contains("upstream sf-gw-3 did not answer", ex.BodySnippet);
        Assert.DoesNotContain("<", ex.BodySnippet);
        Assert.Contains("HTTP 502", ex.Message);
        Assert.True(Guid.TryParse(ex.RequestId, out _));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_error_with_an_empty_body_still_reports_status_and_request_id()
    {
        await using var server = await ScriptedServer.AnswerAsync(500, "", "");
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => new SfBackupClient(server.Connect()).GetPartitionRestoreProgressAsync(Partition, Ct));

        Assert.Equal(500, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.Null(ex.BodySnippet);
        Assert.Contains("no body", ex.Message);
        Assert.Equal("GetPartitionRestoreProgress", ex.Operation);
    }

    [Theory]
    [InlineData("""{"Error":{"Code":"E_UNEXPECTED","Message":"boom"}}""", "E_UNEXPECTED", "boom")]
    [InlineData("""{"Code":"NotFound","Message":"top-level shape"}""", "NotFound", "top-level shape")]
    [InlineData("""{"error":{"code":"FABRIC_E_TIMEOUT","message":"lower case"}}""", "FABRIC_E_TIMEOUT", "lower case")]
    [InlineData("""{"Error":{"Code":7,"Message":"numeric code"}}""", "7", "numeric code")]
    public void Fabric_error_bodies_of_every_shape_keep_the_raw_code(string body, string code, string message)
    {
        var ex = SfTransport.DecodeError(400, System.Text.Encoding.UTF8.GetBytes(body), "rid", "Op");

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(message, ex.FabricMessage);
        Assert.Equal("rid", ex.RequestId);
    }

    [Theory]
    [InlineData(404, null, SfErrorKind.NotFound)]
    [InlineData(409, null, SfErrorKind.Busy)]
    [InlineData(400, "FABRIC_E_BACKUP_IS_ENABLED", SfErrorKind.InvalidArgument)]
    [InlineData(400, "FABRIC_E_RESTORE_IN_PROGRESS", SfErrorKind.Busy)]
    [InlineData(503, "FABRIC_E_NOT_PRIMARY", SfErrorKind.Unavailable)]
    [InlineData(504, "FABRIC_E_TIMEOUT", SfErrorKind.Timeout)]
    [InlineData(500, "FABRIC_E_TIMEOUT", SfErrorKind.Timeout)]
    [InlineData(403, null, SfErrorKind.PermissionDenied)]
    [InlineData(500, "E_FAIL", SfErrorKind.Unknown)]
    public void Error_kind_follows_the_code_then_the_status(int status, string? code, SfErrorKind kind) =>
        Assert.Equal(kind, FabricErrorClassifier.Classify(status, code));

    [Fact]
    public async Task A_503_is_retried_and_the_call_succeeds_when_the_cluster_recovers()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, n) =>
        {
            context.Response.StatusCode = n <= 2 ? 503 : 202;
            if (n <= 2) await context.Response.WriteAsync("""{"Error":{"Code":"FABRIC_E_NOT_PRIMARY","Message":"moving"}}""");
        });

        var response = await new SfBackupClient(server.Connect()).ResumePartitionBackupAsync(Partition, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Retries_stop_at_max_retries_and_report_the_last_answer()
    {
        await using var server = await ScriptedServer.AnswerAsync(503, "application/json", """{"Error":{"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"offline"}}""");

        var ex = await Assert.ThrowsAsync<SfFabricException>(() =>
            new SfBackupClient(server.Connect(o => o.MaxRetries = 2)).ResumePartitionBackupAsync(Partition, Ct));

        Assert.Equal("FABRIC_E_SERVICE_OFFLINE", ex.ErrorCode);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task A_504_on_a_state_change_is_not_sent_again()
    {
        await using var server = await ScriptedServer.AnswerAsync(504, "application/json", """{"Error":{"Code":"FABRIC_E_TIMEOUT","Message":"slow"}}""");

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => new SfBackupClient(server.Connect()).BackupPartitionAsync(Partition, null, null, Ct));

        Assert.Equal(504, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_504_on_a_read_is_retried()
    {
        await using var server = await ScriptedServer.AnswerAsync(504, "application/json", """{"Error":{"Code":"FABRIC_E_TIMEOUT","Message":"slow"}}""");

        await Assert.ThrowsAsync<SfFabricException>(() =>
            new SfBackupClient(server.Connect(o => o.MaxRetries = 1)).GetPartitionRestoreProgressAsync(Partition, Ct));

        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var server = await ScriptedServer.AnswerAsync(404, "application/json", """{"Error":{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"gone"}}""");

        await Assert.ThrowsAsync<SfFabricException>(() => new SfBackupClient(server.Connect()).ResumePartitionBackupAsync(Partition, Ct));

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_connections_fails_over_to_the_next()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");
        var dead = new Uri($"http://127.0.0.1:{FreePort()}/");
        using var connection = new SfClusterConnection(new SfConnectionOptions { Endpoints = [dead, server.BaseUri], RetryDelay = TimeSpan.Zero });

        var response = await new SfBackupClient(connection).ResumePartitionBackupAsync(Partition, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.StartsWith(server.BaseUri.GetLeftPart(UriPartial.Authority), response.RequestUri.ToString());
    }

    [Fact]
    public async Task No_endpoint_answering_is_a_connection_failure_not_a_hang()
    {
        using var connection = new SfClusterConnection(new SfConnectionOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{FreePort()}/")], MaxRetries = 1, RetryDelay = TimeSpan.Zero,
        });

        var ex = await Assert.ThrowsAsync<SfConnectionException>(() => new SfBackupClient(connection).ResumePartitionBackupAsync(Partition, Ct));

        Assert.False(ex.IsTimeout);
        Assert.Equal("SfConnectionFailed", ex.ErrorId);
        Assert.Equal(SfErrorKind.ConnectionFailed, ex.Kind);
    }

    [Fact]
    public async Task Cancelling_stops_a_call_the_server_never_answers()
    {
        var release = new TaskCompletionSource();
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            await Task.WhenAny(release.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SfBackupClient(server.Connect()).GetPartitionRestoreProgressAsync(Partition, cts.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
        Assert.Equal(1, server.RequestCount);
        release.SetResult();
    }

    [Fact]
    public async Task A_state_change_that_gets_no_answer_in_time_is_a_timeout_and_is_not_resent()
    {
        var release = new TaskCompletionSource();
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            await Task.WhenAny(release.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
        });

        var ex = await Assert.ThrowsAsync<SfConnectionException>(() =>
            new SfBackupClient(server.Connect(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300))).ResumePartitionBackupAsync(Partition, Ct));

        Assert.True(ex.IsTimeout);
        Assert.Equal("SfRequestTimedOut", ex.ErrorId);
        Assert.Equal(1, server.RequestCount);
        release.SetResult();
    }

    [Fact]
    public async Task A_2xx_answer_that_cannot_be_read_is_reported_with_its_request_id()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json", "{\"RestoreState\": ");

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => new SfBackupClient(server.Connect()).GetPartitionRestoreProgressAsync(Partition, Ct));

        Assert.Equal(200, ex.StatusCode);
        Assert.Contains("could not be read", ex.Message);
        Assert.NotNull(ex.RequestId);
    }

    [Fact]
    public async Task The_api_version_override_applies_to_every_operation()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");
        var client = new SfBackupClient(server.Connect(o => o.ApiVersion = "8.2"));

        await client.ResumePartitionBackupAsync(Partition, Ct);
        await client.BackupPartitionAsync(Partition, null, null, Ct);

        Assert.All(server.Targets, t => Assert.EndsWith("?api-version=8.2", t));
    }

    [Fact]
    public async Task The_server_timeout_is_sent_after_api_version_when_set()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");

        await new SfBackupClient(server.Connect(o => o.ServerTimeoutSec = 120)).ResumePartitionBackupAsync(Partition, Ct);

        Assert.Equal($"POST /Partitions/{PartitionId}/$/ResumeBackup?api-version=6.2-preview&timeout=120", server.Targets.Single());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(4294967296L)]
    public void A_server_timeout_out_of_range_is_refused_before_anything_is_sent(long seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SfClusterConnection(new SfConnectionOptions { ServerTimeoutSec = seconds }));
        Assert.Contains("4294967295", ex.Message);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(4294967295L)]
    public void The_server_timeout_bounds_are_inclusive(long seconds)
    {
        using var connection = new SfClusterConnection(new SfConnectionOptions { ServerTimeoutSec = seconds });
        Assert.Equal(seconds, connection.ServerTimeoutSec);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("6")]
    [InlineData("6.4-beta")]
    [InlineData("6.")]
    [InlineData(".4")]
    [InlineData("6.4.1")]
    [InlineData("-preview")]
    [InlineData("6.4-preview-preview")]
    [InlineData("6.4 ")]
    [InlineData("\u0666.\u0664")]
    [InlineData("")]
    public void A_malformed_api_version_override_is_refused(string version) =>
        Assert.ThrowsAny<ArgumentException>(() => new SfClusterConnection(new SfConnectionOptions { ApiVersion = version }));

    [Theory]
    [InlineData("6.4")]
    [InlineData("6.2-preview")]
    [InlineData("10.12")]
    public void A_well_formed_api_version_override_is_taken(string version)
    {
        Assert.True(SfConnectionOptions.IsValidApiVersion(version));
        using var connection = new SfClusterConnection(new SfConnectionOptions { ApiVersion = version });
    }

    [Theory]
    [InlineData("ftp://cluster:19080/")]
    [InlineData("http://admin:hunter2@cluster:19080/")]
    [InlineData("http://cluster:19080/?x=1")]
    public void Endpoints_that_are_not_plain_http_addresses_are_refused(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SfClusterConnection(new SfConnectionOptions { Endpoints = [new Uri(endpoint)] }));
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public async Task An_endpoint_with_a_path_prefix_keeps_it()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");
        using var connection = new SfClusterConnection(new SfConnectionOptions { Endpoints = [new Uri(server.BaseUri, "gateway")] });

        await new SfBackupClient(connection).ResumePartitionBackupAsync(Partition, Ct);

        Assert.StartsWith("POST /gateway/Partitions/", server.Targets.Single());
    }

    [Fact]
    public async Task A_closed_connection_refuses_further_calls()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");
        var connection = server.Connect();
        connection.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => new SfBackupClient(connection).ResumePartitionBackupAsync(Partition, Ct));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Verbose_trace_names_the_request_and_its_status()
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "", "");
        var trace = new List<string>();

        await new SfBackupClient(server.Connect(), trace.Add).ResumePartitionBackupAsync(Partition, Ct);

        Assert.Contains(trace, l => l.StartsWith("POST ") && l.Contains("/$/ResumeBackup?api-version=6.2-preview") && l.Contains(SfTransport.RequestIdHeader));
        Assert.Contains(trace, l => l.Contains("HTTP 202"));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
