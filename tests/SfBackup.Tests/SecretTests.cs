using Microsoft.AspNetCore.Http;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>Secrets reach the wire and nowhere else: not the trace (verbose), not errors, not ToString.</summary>
public sealed class SecretTests : IClassFixture<EmulatorFixture>
{
    private const string AccountKey = "c2VjcmV0LWtleS1kby1ub3Qtc2hvdw==";
    private const string Password = "Pa55w0rd!never-logged";
    private readonly EmulatorFixture _emulator;

    public SecretTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connection_string_goes_on_the_wire_but_not_into_the_trace()
    {
        var trace = new List<string>();
        var storage = new AzureBlobBackupStorage(SecretText.FromPlain($"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={AccountKey}"), "c");

        await _emulator.Client(trace).BackupPartitionAsync(Partition, storage, null, Ct);

        Assert.Contains(AccountKey, _emulator.LastRequest.Body);
        Assert.NotEmpty(trace);
        Assert.All(trace, line => Assert.DoesNotContain(AccountKey, line));
    }

    [Fact]
    public async Task A_failed_call_with_a_password_in_its_body_does_not_echo_it()
    {
        var trace = new List<string>();
        var storage = new FileShareBackupStorage(@"\\nas\b") { PrimaryUserName = "svc", PrimaryPassword = SecretText.FromPlain(Password) };
        await _emulator.Client().BackupPartitionAsync(Partition, null, null, Ct);

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client(trace).BackupPartitionAsync(Partition, storage, null, Ct));

        Assert.Equal("FABRIC_E_BACKUP_IN_PROGRESS", ex.ErrorCode);
        Assert.DoesNotContain(Password, ex.ToString());
        Assert.All(trace, line => Assert.DoesNotContain(Password, line));
    }

    [Fact]
    public void A_connection_shows_endpoints_and_versions_only()
    {
        using var connection = _emulator.Connect(o => o.ApiVersion = "6.4");

        Assert.Equal($"{_emulator.BaseUri} (api-version 6.4)", connection.ToString());
    }
}

/// <summary>An Entra ID access token reaches the gateway as a Bearer header and goes nowhere else.</summary>
public sealed class AccessTokenTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.never-shown.signature";

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_header_on_every_call_and_never_traced()
    {
        var seen = new List<string>();
        await using var server = await ScriptedServer.StartAsync(async (context, n) =>
        {
            lock (seen) seen.Add(context.Request.Headers.Authorization.ToString());
            context.Response.StatusCode = n == 1 ? 202 : 404;
            if (n > 1) await context.Response.WriteAsync("""{"Error":{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"gone"}}""");
        });
        var trace = new List<string>();
        // The scripted server speaks http; over http a token is refused unless the caller says it means it.
        var connection = server.Connect(o => { o.AccessToken = Client.Models.SecretText.FromPlain(Token); o.AllowUnencryptedAuthentication = true; });
        var client = new Client.Operations.SfBackupClient(connection, trace.Add);

        await client.ResumePartitionBackupAsync(Partition, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => client.ResumePartitionBackupAsync(Partition, TestContext.Current.CancellationToken));

        Assert.Equal([$"Bearer {Token}", $"Bearer {Token}"], seen);
        Assert.All(trace, l => Assert.DoesNotContain("never-shown", l));
        Assert.DoesNotContain("never-shown", ex.ToString());
        Assert.DoesNotContain("never-shown", connection.ToString());
        Assert.Equal("Bearer token", connection.Authentication);
    }

    [Fact]
    public async Task Without_a_token_no_authorization_header_is_sent()
    {
        string? header = "unset";
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            header = context.Request.Headers.ContainsKey("Authorization") ? context.Request.Headers.Authorization.ToString() : null;
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });

        await new Client.Operations.SfBackupClient(server.Connect()).ResumePartitionBackupAsync(Partition, TestContext.Current.CancellationToken);

        Assert.Null(header);
    }
}
