using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Issue 17 in the real engine: masked secrets, names that would reach other routes, servers that are not gateways,
/// TLS and protocol failures that repeat for every item, lost answers, credentials over http, oversized input,
/// recommendations and loose validation. Each test names the numbered item it proves.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class HostileWorldTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private static readonly string[] Stock = KnownIds.Stock;
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();
    private Runspace _runspace = null!;

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _runspace = ModuleEngine.Open();
        Run("param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 0 | Out-Null", new() { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();
        _emulator.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
    }

    private ModuleEngine.Outcome Run(string script, Dictionary<string, object>? parameters = null) =>
        ModuleEngine.Run(_runspace, script, parameters);

    /// <summary>
    /// Runs a script that must stop with a terminating error (statement-terminating, as ThrowTerminatingError gives,
    /// or a script-terminating one); returns that error's record. A non-terminating error does not count.
    /// </summary>
    private ErrorRecord Terminates(string script, Dictionary<string, object>? parameters = null)
    {
        var param = System.Text.RegularExpressions.Regex.Match(script, @"^param\([^)]*\)");
        var body = script[param.Length..];
        var outcome = Run(param.Value + " try { " + body + " } catch { ,$_ }", parameters);
        var record = outcome.Output.Select(o => o.BaseObject).OfType<ErrorRecord>().LastOrDefault();
        Assert.True(record is not null, "no terminating error; non-terminating: " + string.Join("; ", outcome.ErrorIds));
        return record!;
    }

    private static string Id(ErrorRecord record) => record.FullyQualifiedErrorId.Split(',')[0];

    private IEnumerable<string> Sent(string pathPart) =>
        _emulator.Journal.Snapshot().Where(e => e.RawTarget.Contains(pathPart, StringComparison.Ordinal)).Select(e => e.RawTarget);

    // ---- 1. masked secrets ----

    [Fact]
    public void Item1_a_masked_storage_from_the_cluster_is_refused_once_by_every_cmdlet_that_sends_a_storage()
    {
        const string masked = "$s = (Get-SfBackupPolicy DailyAzureBackupPolicy).Storage; if (-not $s.HasMaskedSecret) { throw 'the emulator did not mask' }; ";
        var backup = Terminates(masked + $"'{Stock[0]}', '{Stock[1]}' | Start-SfPartitionBackup -Storage $s");
        var restore = Terminates(masked + $"Get-SfBackup -PartitionId {Seed} -Latest | Restore-SfPartition -Storage $s -Confirm:$false");
        var list = Terminates(masked + "Get-SfBackup -Storage $s");
        var policy = Terminates(masked + "New-SfBackupPolicy -Name copied -Interval '01:00:00' -Storage $s");

        Assert.All(new[] { backup, restore, list, policy }, r => Assert.Equal("SfMaskedStorageSecret", Id(r)));
        Assert.Contains("New-SfBackupStorage", backup.ErrorDetails.RecommendedAction);
        Assert.Empty(Sent("/$/Backup"));
        Assert.Empty(Sent("/$/Restore"));
        Assert.Empty(Sent("/BackupRestore/$/GetBackups"));
        Assert.Empty(Sent("/$/Create"));
    }

    [Fact]
    public async Task Item1_the_emulator_fails_a_backup_sent_with_a_masked_secret_as_a_cluster_would_and_refuses_a_restore_or_listing()
    {
        using var raw = _emulator.Raw();
        const string masked = """{"StorageKind":"AzureBlobStore","ConnectionString":"****","ContainerName":"BackupContainer"}""";
        var ct = TestContext.Current.CancellationToken;
        var backup = await raw.PostAsync($"/Partitions/{Stock[0]}/$/Backup?api-version=6.4", Json($$"""{"BackupStorage":{{masked}}}"""), ct);
        Assert.Equal(HttpStatusCode.Accepted, backup.StatusCode);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var progress = await raw.GetStringAsync($"/Partitions/{Stock[0]}/$/GetBackupProgress?api-version=6.4", ct);
        Assert.Contains("\"Failure\"", progress);
        Assert.Contains("****", progress);

        var restore = await raw.PostAsync($"/Partitions/{Seed}/$/Restore?api-version=6.4",
            Json($$"""{"BackupId":"{{Guid.NewGuid()}}","BackupLocation":"x","BackupStorage":{{masked}}}"""), ct);
        Assert.Equal(HttpStatusCode.BadRequest, restore.StatusCode);
        var listing = await raw.PostAsync("/BackupRestore/$/GetBackups?api-version=6.4", Json($$"""{"Storage":{{masked}}}"""), ct);
        Assert.Equal(HttpStatusCode.BadRequest, listing.StatusCode);
        var validated = await raw.PostAsync("/BackupRestore/BackupPolicies/$/Create?ValidateConnection=true&api-version=6.4",
            Json($$"""{"Name":"m","MaxIncrementalBackups":1,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{{masked}}}"""), ct);
        Assert.Equal(HttpStatusCode.BadRequest, validated.StatusCode);
    }

    private static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");

    // ---- 2. '.' and '..' ----

    [Theory]
    [InlineData("Remove-SfBackupPolicy '..' -Confirm:$false")]
    [InlineData("Remove-SfBackupPolicy '.' -Confirm:$false")]
    [InlineData("Get-SfBackupPolicyEntity '..'")]
    [InlineData("Set-SfBackupPolicy '..' -Interval '01:00:00'")]
    [InlineData("Enable-SfApplicationBackup 'fabric:/..' -BackupPolicyName DailyAzureBackupPolicy")]
    [InlineData("Enable-SfServiceBackup 'fabric:/CalcApp/..' -BackupPolicyName DailyAzureBackupPolicy")]
    [InlineData("Suspend-SfServiceBackup 'CalcApp/./CalcService'")]
    [InlineData("Get-SfBackup -ServiceName 'fabric:/CalcApp/..'")]
    [InlineData($"Enable-SfPartitionBackup {KnownIds.Seed} -BackupPolicyName '..'")]
    public void Item2_dot_segments_are_refused_while_parameters_bind_and_nothing_is_sent(string command)
    {
        var outcome = Run(command + "");
        var error = Assert.Single(outcome.Errors);
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        Assert.Empty(_emulator.Journal.Snapshot());
    }

    [Fact]
    public async Task Item2_the_client_refuses_a_dot_route_whatever_calls_it_and_the_emulator_refuses_such_a_policy()
    {
        var client = _emulator.Client();
        var ex = await Assert.ThrowsAsync<SfBackup.Client.Transport.SfRefusedInputException>(() => client.DeleteBackupPolicyAsync("..", TestContext.Current.CancellationToken));
        Assert.Equal("SfInvalidName", ex.ErrorId);
        Assert.Empty(_emulator.Journal.Snapshot());

        using var raw = _emulator.Raw();
        var created = await raw.PostAsync("/BackupRestore/BackupPolicies/$/Create?api-version=6.4",
            Json("""{"Name":"..","MaxIncrementalBackups":1,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\nas\\b"}}"""),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("50%off")]
    [InlineData("x+y&z=1;w")]
    [InlineData("nightly.v2")]
    [InlineData("...")]
    [InlineData("ünïcødé")]
    public async Task Item2_every_odd_but_valid_policy_name_reaches_exactly_its_own_route(string name)
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json", "");
        var outcome = Run("param($Url, $Name) $c = Connect-SfCluster -Endpoint $Url -RetryCount 0 -NoDefault -SkipGatewayCheck; Remove-SfBackupPolicy $Name -Session $c -Confirm:$false",
            new() { ["Url"] = server.BaseUri, ["Name"] = name });
        outcome.ThrowIfErrors();
        var target = Assert.Single(server.Targets);
        Assert.Equal("POST /BackupRestore/BackupPolicies/" + name + "/$/Delete", Uri.UnescapeDataString(target.Split('?')[0]));
    }

    [Theory]
    [InlineData("fabric:/my app/svc+1", "my app~svc+1")]
    [InlineData("Shop/orders;v2", "Shop~orders;v2")]
    [InlineData("fabric:/50%/a&b=c", "50%~a&b=c")]
    [InlineData("fabric:/a.b/...", "a.b~...")]
    public async Task Item2_every_odd_but_valid_service_name_reaches_exactly_its_own_route(string name, string serviceId)
    {
        await using var server = await ScriptedServer.AnswerAsync(202, "application/json", "");
        Run("param($Url, $Name) $c = Connect-SfCluster -Endpoint $Url -RetryCount 0 -NoDefault -SkipGatewayCheck; Resume-SfServiceBackup $Name -Session $c",
            new() { ["Url"] = server.BaseUri, ["Name"] = name }).ThrowIfErrors();
        var target = Assert.Single(server.Targets);
        Assert.Equal("POST /Services/" + serviceId + "/$/ResumeBackup", Uri.UnescapeDataString(target.Split('?')[0]));
    }

    // ---- 3. a server that is not a gateway ----

    [Theory]
    [InlineData($"Resume-SfPartitionBackup {KnownIds.Seed}")]
    [InlineData($"Enable-SfPartitionBackup {KnownIds.Seed} -BackupPolicyName p")]
    [InlineData($"Start-SfPartitionBackup {KnownIds.Seed}")]
    [InlineData("Remove-SfBackupPolicy p -Confirm:$false")]
    [InlineData("Resume-SfServiceBackup fabric:/CalcApp/CalcService")]
    public async Task Item3_an_html_answer_is_no_success_and_the_command_stops_once(string command)
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "text/html", "<html><body>Welcome to nginx!</body></html>");
        var script = "param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 3 -SkipGatewayCheck | Out-Null; " +
                     $"$r = @(1..5 | ForEach-Object {{ {command} -ErrorAction Stop }}); 'unreachable'";
        var error = Terminates(script, new() { ["Url"] = server.BaseUri });
        Assert.Equal("SfNotServiceFabricGateway", Id(error));
        Assert.Contains("not a Service Fabric gateway", error.ToString());
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Item3_a_piped_state_change_against_an_html_server_stops_at_the_first_item_and_dollar_question_is_false()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "text/html; charset=utf-8", "<!DOCTYPE html><title>Login</title>");
        // Forty items under -ThrottleLimit 4: no more than the first window goes out. The requests confirmed while
        // it was out wait for a slot and are never sent once an answer says the command will stop.
        var ids = Enumerable.Range(0, 40).Select(i => Stock[i % Stock.Length]).ToArray();
        var outcome = Run("param($Url, $Ids) Connect-SfCluster -Endpoint $Url -SkipGatewayCheck | Out-Null; try { $Ids | Resume-SfPartitionBackup -ThrottleLimit 4 } catch { $_.FullyQualifiedErrorId }; $?",
            new() { ["Url"] = server.BaseUri, ["Ids"] = ids });
        Assert.StartsWith("SfNotServiceFabricGateway", outcome.Output[0].ToString());
        Thread.Sleep(300);
        Assert.True(server.RequestCount <= 4, $"{server.RequestCount} requests");
    }

    [Fact]
    public async Task Item3_Connect_says_at_once_that_an_endpoint_is_no_gateway_and_accepts_the_emulator()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "text/html", "<html>It works!</html>");
        var error = Terminates("param($Url) Connect-SfCluster -Endpoint $Url", new() { ["Url"] = server.BaseUri });
        Assert.Equal("SfNotServiceFabricGateway", Id(error));
        Assert.Equal(1, server.RequestCount);
        // The check fails the command before the default changes: the next command still acts on the emulator.
        Assert.Equal(_emulator.BaseUri.Port, (int)Run("(Get-SfClusterConnection).Endpoints[0].Port").ThrowIfErrors().Output.Single().BaseObject);

        // -SkipGatewayCheck sends nothing; -Verify, once needed for the check, is still taken.
        Run("param($Url) Connect-SfCluster -Endpoint $Url -SkipGatewayCheck -NoDefault | Out-Null", new() { ["Url"] = server.BaseUri }).ThrowIfErrors();
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("SfInvalidConnection", Id(Terminates("param($Url) Connect-SfCluster -Endpoint $Url -Verify -SkipGatewayCheck", new() { ["Url"] = server.BaseUri })));
        Assert.Equal(1, server.RequestCount);
        var ok = Run("param($Url) $c = Connect-SfCluster -Endpoint $Url -Verify -NoDefault; $c.Endpoints.Count; $c.ClusterVersion", new() { ["Url"] = _emulator.BaseUri });
        ok.ThrowIfErrors();
        Assert.Equal(1, (int)ok.Output[0].BaseObject);
        Assert.Matches(@"^\d+\.\d+", ok.Output[1].ToString());
        Assert.Contains(_emulator.Journal.Snapshot(), e => e.RawTarget.StartsWith("/$/GetClusterVersion", StringComparison.Ordinal));
    }

    // ---- 4 and 5. deterministic connection failures, said in operator words ----

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sf-hostile.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private (ErrorRecord Error, TimeSpan Took) PipeFiveAndStop(Uri endpoint)
    {
        var clock = Stopwatch.StartNew();
        var error = Terminates("param($Url, $Ids) Connect-SfCluster -Endpoint $Url -RetryCount 3 -SkipGatewayCheck | Out-Null; $Ids | Resume-SfPartitionBackup",
            new() { ["Url"] = endpoint, ["Ids"] = new[] { Stock[0], Stock[1], Stock[2], Stock[3], Seed } });
        return (error, clock.Elapsed);
    }

    [Fact]
    public async Task Item4_and_5_an_untrusted_certificate_stops_the_pipeline_at_once_and_names_the_certificate_and_the_knob()
    {
        using var certificate = SelfSigned();
        await using var server = await ScriptedServer.StartAsync((c, _) => { c.Response.StatusCode = 202; return Task.CompletedTask; }, certificate);

        var (error, took) = PipeFiveAndStop(server.BaseUri);

        Assert.Equal("SfConnectionFailed", Id(error));
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        Assert.Equal(0, server.RequestCount);
        var text = error.ToString() + " " + error.ErrorDetails.RecommendedAction;
        Assert.Contains("CN=sf-hostile.example", text);
        Assert.Contains(certificate.Thumbprint, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(certificate.RawData)), text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("-ServerCertThumbprint", text);
        Assert.DoesNotContain("UntrustedRoot", text);
        Assert.DoesNotContain("RemoteCertificateChainErrors", text);
        Assert.DoesNotContain("is running", text);
    }

    [Fact]
    public async Task Item4_a_gateway_whose_handshake_fails_is_passed_over_for_the_next_endpoint()
    {
        using var certificate = SelfSigned();
        await using var untrusted = await ScriptedServer.StartAsync((c, _) => { c.Response.StatusCode = 202; return Task.CompletedTask; }, certificate);

        Run("param($Bad, $Good) Connect-SfCluster -Endpoint $Bad, $Good -RetryCount 0 | Out-Null; Resume-SfPartitionBackup " + Seed,
            new() { ["Bad"] = untrusted.BaseUri, ["Good"] = _emulator.BaseUri }).ThrowIfErrors();

        Assert.Equal(0, untrusted.RequestCount);
        Assert.Single(Sent("/$/ResumeBackup"));
    }

    [Fact]
    public async Task Item4_and_5_https_to_a_plain_http_gateway_says_use_http_and_stops_at_once()
    {
        var https = new UriBuilder(_emulator.BaseUri) { Scheme = "https" }.Uri;
        var (error, took) = PipeFiveAndStop(https);

        Assert.Equal("SfConnectionFailed", Id(error));
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        Assert.Contains("does not speak TLS", error.ToString());
        Assert.Contains("http://", error.ErrorDetails.RecommendedAction);
        Assert.Empty(_emulator.Journal.Snapshot());
    }

    [Fact]
    public async Task Item4_a_port_that_does_not_speak_http_stops_the_pipeline_after_one_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                var stream = client.GetStream();
                await stream.WriteAsync("SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n"u8.ToArray(), stop.Token);
                await Task.Delay(100, stop.Token);
            }
        });
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

        var (error, took) = PipeFiveAndStop(endpoint);
        stop.Cancel();

        Assert.Equal("SfConnectionFailed", Id(error));
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        Assert.Contains("not HTTP", error.ToString());
        Assert.Equal(1, Volatile.Read(ref connections));
    }

    // ---- 6. a lost answer whose follow-up read fails too ----

    [Fact]
    public void Item6_a_lost_answer_whose_check_fails_names_the_state_change_and_says_it_may_have_been_applied()
    {
        Run("param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 1 | Out-Null", new() { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();
        // The resume is applied and its answer lost; both reads that would tell (the first and its one retry) fail too.
        _emulator.Faults.ForceNext(["ResetAfterApply", "ResetBeforeApply", "ResetBeforeApply"]);

        var outcome = Run($"Resume-SfPartitionBackup {Seed}");

        var error = Assert.Single(outcome.Errors);
        var text = error.ToString();
        Assert.StartsWith("ResumePartitionBackup:", text.Split(": ", 2)[1]);
        Assert.Contains("may or may not have been applied", text);
        Assert.DoesNotContain("GetPartitionBackupConfigurationInfo: could not reach", text);
    }

    // ---- 7. credentials that cannot work or would leak ----

    [Fact]
    public void Item7_a_token_or_a_certificate_over_http_is_refused_unless_asked_for_and_a_certificate_needs_its_key()
    {
        var token = Terminates("Connect-SfCluster -Endpoint http://127.0.0.1:19999 -AccessToken (ConvertTo-SecureString t0ken -AsPlainText -Force)");
        Assert.Equal("SfCredentialOverHttp", Id(token));
        Assert.DoesNotContain("t0ken", token.ToString());

        using var certificate = SelfSigned();
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        var keyless = Terminates("param($Cert) Connect-SfCluster -Endpoint https://127.0.0.1:19999 -ClientCertificate $Cert", new() { ["Cert"] = publicOnly });
        Assert.Equal("SfCertificateWithoutPrivateKey", Id(keyless));

        var allowed = Run("Connect-SfCluster -Endpoint http://127.0.0.1:19999 -AccessToken (ConvertTo-SecureString t -AsPlainText -Force) -AllowUnencryptedAuthentication -NoDefault -SkipGatewayCheck | Out-Null");
        allowed.ThrowIfErrors();
        Assert.Contains(allowed.Warnings, w => w.Contains("http://", StringComparison.Ordinal));
    }

    // ---- 8. input echoed at any size ----

    [Fact]
    public async Task Item8_a_huge_name_is_cut_in_messages_and_the_emulator_answers_oversized_requests_briefly()
    {
        var huge = "fabric:/" + new string('a', 20000);
        var errors = new[]
        {
            Run("param($Name) Get-SfService -ApplicationName $Name", new() { ["Name"] = huge }),
            Run("param($Name) Remove-SfBackupPolicy ($Name.Substring(8) + '/x') -Confirm:$false", new() { ["Name"] = huge }),
        }.Select(o => Assert.Single(o.Errors)).ToList();
        Assert.All(errors, e => Assert.True(e.ToString().Length < 800, $"{e.ToString().Length} characters"));
        Assert.Contains("…", errors[1].ToString());

        using var raw = _emulator.Raw();
        var ct = TestContext.Current.CancellationToken;
        var longTarget = await raw.GetAsync("/BackupRestore/BackupPolicies/" + new string('b', 20000) + "?api-version=6.4", ct);
        var bigBody = await raw.PostAsync("/BackupRestore/BackupPolicies/$/Create?api-version=6.4", Json("{\"Name\":\"" + new string('c', 2_000_000) + "\"}"), ct);
        using var headers = new HttpRequestMessage(HttpMethod.Get, "/BackupRestore/BackupPolicies?api-version=6.4");
        headers.Headers.Add("X-Padding", new string('d', 60000));
        var bigHeaders = await raw.SendAsync(headers, ct);
        var unknown = await raw.GetAsync("/BackupRestore/BackupPolicies/" + new string('e', 5000) + "?api-version=6.4", ct);

        Assert.Equal(414, (int)longTarget.StatusCode);
        Assert.Equal(413, (int)bigBody.StatusCode);
        Assert.Equal(431, (int)bigHeaders.StatusCode);
        Assert.Equal(404, (int)unknown.StatusCode);
        foreach (var answer in new[] { longTarget, bigBody, bigHeaders, unknown })
        {
            var text = await answer.Content.ReadAsStringAsync(ct);
            Assert.Contains("\"Code\"", text);
            Assert.True(text.Length < 700, $"{answer.StatusCode}: {text.Length} characters");
        }
    }

    // ---- 9. recommendations that help ----

    [Fact]
    public async Task Item9_each_failure_recommends_the_knob_that_helps_or_nothing()
    {
        var exists = Run("New-SfBackupPolicy -Name DailyAzureBackupPolicy -Interval '01:00:00' -Storage (New-SfBackupStorage -Path \\\\nas\\x)");
        Assert.Contains("Set-SfBackupPolicy", Assert.Single(exists.Errors).ErrorDetails.RecommendedAction);

        var invalid = Run($"Resume-SfPartitionBackup {Stock[0]}");
        var plain = Assert.Single(invalid.Errors).ErrorDetails.RecommendedAction;
        Assert.True(string.IsNullOrEmpty(plain) || !plain.Contains("Request id", StringComparison.Ordinal), plain);

        await using var slow = await ScriptedServer.StartAsync(async (c, _) => await Task.Delay(5000, c.RequestAborted));
        var timedOut = Run("param($Url) $c = Connect-SfCluster -Endpoint $Url -RequestTimeoutSec 1 -RetryCount 0 -NoDefault -SkipGatewayCheck; Get-SfPartitionBackupProgress " + Seed + " -Session $c",
            new() { ["Url"] = slow.BaseUri });
        var timeout = Assert.Single(timedOut.Errors);
        Assert.Equal("SfRequestTimedOut", Id(timeout));
        Assert.Contains("-RequestTimeoutSec", timeout.ErrorDetails.RecommendedAction);

        _emulator.Options.BackupSeconds = 600;
        var wait = Run($"Start-SfPartitionBackup {Seed} -Wait -WaitTimeoutSec 1");
        _emulator.Options.BackupSeconds = 4;
        var waited = Assert.Single(wait.Errors, e => Id(e) == "SfWaitTimedOut");
        Assert.Contains("-WaitTimeoutSec", waited.ErrorDetails.RecommendedAction);
    }

    // ---- 10. a busy emulator port ----

    [Fact]
    public async Task Item10_an_emulator_whose_port_is_taken_says_so_exits_1_without_a_stack_trace_and_leaves_the_other_alone()
    {
        var busy = _emulator.BaseUri.ToString().TrimEnd('/');
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { TestPaths.EmulatorAssembly, "--urls", busy, "--Emulator:InstanceId=second" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(30_000), "the second emulator did not exit");

        Assert.Equal(1, process.ExitCode);
        var said = await stderr + await stdout;
        Assert.Contains("in use", said);
        Assert.Contains("--urls http://127.0.0.1:", said);
        Assert.DoesNotContain("   at ", said);
        using var raw = _emulator.Raw();
        var instance = await raw.GetStringAsync("/$Emulator/Instance", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("second", instance);
    }

    // ---- 11. loose validation ----

    [Theory]
    [InlineData("New-SfBackupPolicy -Name p -Interval '00:00:30' -Storage $s", "ParameterArgumentValidationError")]
    [InlineData("New-SfBackupPolicy -Name p -Interval '16.00:00:00' -Storage $s", "ParameterArgumentValidationError")]
    [InlineData("New-SfBackupPolicy -Name p -Interval '01:00:30' -Storage $s", "ParameterArgumentValidationError")]
    [InlineData("New-SfBackupStorage -BlobServiceUri ftp://files.example/ -ContainerName backups", "SfInvalidBlobServiceUri")]
    [InlineData("New-SfBackupStorage -ConnectionString (ConvertTo-SecureString x -AsPlainText -Force) -ContainerName 'a_b'", "SfInvalidContainerName")]
    [InlineData("New-SfBackupStorage -ConnectionString (ConvertTo-SecureString x -AsPlainText -Force) -ContainerName 'ab'", "SfInvalidContainerName")]
    [InlineData("New-SfBackupStorage -ConnectionString (ConvertTo-SecureString x -AsPlainText -Force) -ContainerName 'a--b'", "SfInvalidContainerName")]
    [InlineData($"Get-SfBackup -PartitionId {KnownIds.Seed} -StartTime '2026-12-01' -EndTime '2026-11-01'", "SfInvalidTimeRange")]
    [InlineData("Connect-SfCluster -ApiVersion 1.0", "SfInvalidApiVersion")]
    [InlineData($"Enable-SfPartitionBackup {KnownIds.Seed} -BackupPolicyName 'Daily*'", "ParameterArgumentValidationError")]
    [InlineData("Remove-SfBackupPolicy 'Daily*' -Confirm:$false", "ParameterArgumentValidationError")]
    [InlineData("Suspend-SfApplicationBackup 'fabric:/Calc*'", "ParameterArgumentValidationError")]
    public void Item11_loose_input_gets_a_clear_error_with_a_stable_id_and_nothing_is_sent(string command, string errorId)
    {
        Run("$s = New-SfBackupStorage -Path \\\\nas\\backups").ThrowIfErrors();
        string? id;
        try
        {
            var outcome = Run("$s = New-SfBackupStorage -Path \\\\nas\\backups; " + command + "");
            id = outcome.Errors.Select(Id).FirstOrDefault();
        }
        catch (RuntimeException ex)
        {
            id = Id(ex.ErrorRecord);
        }
        Assert.Equal(errorId, id);
        Assert.Empty(_emulator.Journal.Snapshot().Where(e => !e.RawTarget.StartsWith("/$Emulator", StringComparison.Ordinal)));
    }

    [Fact]
    public void Item11_wildcards_are_matched_by_the_Get_cmdlets_that_say_so()
    {
        var outcome = Run("@(Get-SfBackupPolicy 'Daily*').Count; @(Get-SfApplication 'Calc*').Count");
        outcome.ThrowIfErrors();
        Assert.Equal([1, 1], outcome.Output.Select(o => (int)o.BaseObject));
    }

    [Fact]
    public void Item11_a_hashtable_whose_partition_id_is_no_guid_is_named_in_the_error()
    {
        var piped = Assert.Single(Run("@{ PartitionId = 'abc' } | Resume-SfPartitionBackup").Errors);
        var bound = Assert.Single(Run("Resume-SfPartitionBackup -PartitionId ([pscustomobject]@{ PartitionId = 'xyz' })").Errors);
        Assert.Contains("PartitionId 'abc'", piped.ToString());
        Assert.Contains("PartitionId 'xyz'", bound.ToString());
        Assert.Empty(_emulator.Journal.Snapshot());
    }
}
