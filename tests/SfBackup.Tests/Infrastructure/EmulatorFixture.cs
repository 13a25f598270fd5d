using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Emulator;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// The emulator, in process, listening on 127.0.0.1 with a port the OS picks, driven by a manual clock. Lists come
/// two items a page (the real service pages only when asked), so that every client pages for real. Tests
/// talk to it over real HTTP through the same client the cmdlets use.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private string[] _extraArgs = [];

    private bool _realClock;

    /// <summary>Another emulator with extra configuration (e.g. --Emulator:BackupSeconds=120); call InitializeAsync.</summary>
    public static EmulatorFixture With(params string[] extraArgs) => new() { _extraArgs = extraArgs };

    /// <summary>Another emulator on the real clock, for code that polls; keep its durations short.</summary>
    public static EmulatorFixture OnRealClock(params string[] extraArgs) => new() { _extraArgs = extraArgs, _realClock = true };

    public ManualClock Clock { get; } = new();
    public Uri BaseUri { get; private set; } = null!;
    public EmulatorState State => _app!.Services.GetRequiredService<EmulatorState>();
    public RequestJournal Journal => _app!.Services.GetRequiredService<RequestJournal>();

    public FaultInjector Faults => _app!.Services.GetRequiredService<FaultInjector>();

    /// <summary>The running emulator's settings; latency may be changed between calls.</summary>
    public EmulatorOptions Options => _app!.Services.GetRequiredService<EmulatorOptions>();

    public async ValueTask InitializeAsync()
    {
        _app = EmulatorHost.Build(["--urls", "http://127.0.0.1:0", "--Emulator:AcceptedSeconds=1", "--Emulator:BackupSeconds=4", "--Emulator:PageSize=2", .. _extraArgs], _realClock ? TimeProvider.System : Clock);
        await _app.StartAsync();
        BaseUri = new Uri(_app.Urls.Single());
    }

    public async ValueTask DisposeAsync()
    {
        _shared?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>Back to the default topology with an empty journal.</summary>
    public void Reset()
    {
        State.Reset();
        Journal.Clear();
    }

    public SfClusterConnection Connect(Action<SfConnectionOptions>? configure = null)
    {
        var options = new SfConnectionOptions { Endpoints = [BaseUri], RetryDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new SfClusterConnection(options);
    }

    public SfBackupClient Client(List<string>? trace = null, Action<SfConnectionOptions>? configure = null) =>
        new(Connect(configure), trace is null ? null : line => { lock (trace) trace.Add(line); });

    public JournalEntry LastRequest => Journal.Snapshot().Last();

    /// <summary>A plain HttpClient, for requests our client would refuse to send (bad GUIDs, missing api-version).</summary>
    public HttpClient Raw() => new() { BaseAddress = BaseUri };

    private HttpClient? _shared;

    /// <summary>
    /// One request as any HTTP client would send it (the target pasted as it is, relative to the emulator), with the
    /// answer's status, headers, text and JSON (null when the body is empty or not JSON).
    /// </summary>
    public async Task<RawAnswer> SendRawAsync(string method, string target, string? body, CancellationToken cancellationToken)
    {
        _shared ??= Raw();
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _shared.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        System.Text.Json.Nodes.JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // a body that is not JSON stays text
        }
        return new RawAnswer((int)response.StatusCode, json, response.Headers, text);
    }
}

/// <summary>An answer as it came: status, headers, text, and its JSON when it was JSON.</summary>
public sealed record RawAnswer(int Status, System.Text.Json.Nodes.JsonNode? Json, System.Net.Http.Headers.HttpResponseHeaders Headers, string Text)
{
    /// <summary>The FabricError code of an error answer.</summary>
    public string? Code => Json?["Error"]?["Code"]?.ToString();
}
