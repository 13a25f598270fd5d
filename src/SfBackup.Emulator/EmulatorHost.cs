namespace SfBackup.Emulator;

/// <summary>Builds the emulator's web app; Program and the tests (in-process, port 0) both use it.</summary>
public static class EmulatorHost
{
    public const string DefaultUrl = "http://127.0.0.1:19080";

    public static WebApplication Build(string[] args, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        // Kestrel's own limits sit above the emulator's (BrsApi.Max*), so that an oversized request line, header block
        // or body gets a short FabricError from the emulator instead of Kestrel's bare status.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestLineSize = BrsApi.MaxTargetBytes * 8;
            k.Limits.MaxRequestHeadersTotalSize = BrsApi.MaxHeaderBytes * 4;
            k.Limits.MaxRequestBodySize = BrsApi.MaxBodyBytes * 4;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A port in use is said in one line by Program, not logged with a stack trace by the host.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

        var options = new EmulatorOptions();
        builder.Configuration.GetSection("Emulator").Bind(options);
        builder.Services.AddSingleton(options);
        var shiftable = new ShiftableClock(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(shiftable);
        builder.Services.AddSingleton<TimeProvider>(shiftable);
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton<RequestJournal>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<BrsApi>();

        var app = builder.Build();
        // Emulator control, outside the BRS surface: the Pester suite resets state between cases.
        app.MapPost("/$Emulator/Reset", (EmulatorState state, RequestJournal journal) =>
        {
            state.Reset();
            journal.Clear();
            return Results.NoContent();
        });
        // Which process this is: a script that started an emulator checks this before it resets "its" emulator.
        app.MapGet("/$Emulator/Instance", (EmulatorOptions current) => Results.Json(new { current.InstanceId, Process = Environment.ProcessId }));
        // What arrived, oldest first: method, path and query, status. Tests in another process (Pester) read it to
        // prove which emulator a request reached.
        app.MapGet("/$Emulator/Journal", (RequestJournal journal) =>
            Results.Json(journal.Snapshot().Select(e => new { e.Method, e.RawTarget, e.Status, e.Fault, e.Applied })));
        // Forget what arrived so far, keeping the state: a test counts only what one command sends.
        app.MapDelete("/$Emulator/Journal", (RequestJournal journal) =>
        {
            journal.Clear();
            return Results.NoContent();
        });
        // The emulator's time: read it, or move it forward ({"AdvanceSeconds": 3600}).
        app.MapGet("/$Emulator/Clock", (ShiftableClock now) => Results.Json(new { UtcNow = now.GetUtcNow(), OffsetSeconds = now.Offset.TotalSeconds }));
        app.MapPost("/$Emulator/Clock", async (HttpContext context, ShiftableClock now) =>
        {
            var (body, refusal) = await ReadControlBody<ClockChange>(context);
            if (refusal is not null) return refusal;
            try
            {
                now.Advance(TimeSpan.FromSeconds(body?.AdvanceSeconds ?? 0));
            }
            catch (Exception ex) when (ex is FabricErrorException or OverflowException or ArgumentException)
            {
                return ControlError(400, "E_INVALIDARG", ex.Message);
            }
            return Results.Json(new { UtcNow = now.GetUtcNow(), OffsetSeconds = now.Offset.TotalSeconds });
        });
        // A partition whose backups fail from now on ({"Fail": true}), or succeed again ({"Fail": false}).
        MapPartitionSwitch<FailBackups>(app, "FailBackups", (partition, body) => partition.FailsBackups = body?.Fail ?? true);
        // Faults real clusters have (FIDELITY.md): backups with an LSN of -1, a corrupt chain member, every storage
        // unreachable, and periodic backups stopped by a runtime upgrade until each policy is updated again.
        MapPartitionSwitch<FaultSwitch>(app, "LsnMinusOne", (partition, body) => partition.LsnMinusOne = body?.Enabled ?? true);
        app.MapPost("/$Emulator/Backups/{id}/Corrupt", (string id, EmulatorState state) =>
        {
            if (!Guid.TryParse(id, out var backupId)) return ControlError(400, "E_INVALIDARG", $"'{FabricErrorException.Clip(id)}' is not a backup id (a GUID).");
            lock (state.Gate)
            {
                if (!state.BackupsInStorages().Any(b => b.BackupId == backupId)) return ControlError(404, "E_NOT_FOUND", $"No backup {backupId}.");
                state.CorruptBackups.Add(backupId);
            }
            return Results.NoContent();
        });
        app.MapPost("/$Emulator/Storage", async (HttpContext context, EmulatorState state) =>
        {
            var (body, refusal) = await ReadControlBody<StorageSwitch>(context);
            if (refusal is not null) return refusal;
            lock (state.Gate) state.StoragesUnreachable = body?.Unreachable ?? true;
            return Results.NoContent();
        });
        app.MapPost("/$Emulator/Upgrade", (EmulatorState state) =>
        {
            lock (state.Gate)
            {
                state.Settle();
                foreach (var policy in state.Policies.Values) policy.StoppedByUpgrade = true;
            }
            return Results.NoContent();
        });
        // The injected faults, read and replaced while the emulator runs (see EmulatorFaults for the fields).
        app.MapGet("/$Emulator/Faults", (FaultInjector faults, EmulatorOptions current) => Results.Json(Shown(faults.Settings, current)));
        app.MapPost("/$Emulator/Faults", async (HttpContext context, FaultInjector faults, EmulatorOptions current) =>
        {
            var (read, refusal) = await ReadControlBody<EmulatorFaults>(context);
            if (refusal is not null) return refusal;
            var settings = read ?? new EmulatorFaults();
            if (settings.LatencyMs is < 0 || settings.LatencyJitterMs is < 0)
                return ControlError(400, "E_INVALIDARG", "Latency must not be negative.");
            try
            {
                faults.Replace(settings);
                if (settings.Next is { } next) faults.ForceNext(next);
            }
            catch (FabricErrorException ex)
            {
                return ControlError(ex.Status, ex.Code, ex.Message);
            }
            if (settings.LatencyMs is { } latency) current.LatencyMs = latency;
            if (settings.LatencyJitterMs is { } jitter) current.LatencyJitterMs = jitter;
            return Results.Json(Shown(faults.Settings, current));
        });
        // POST /$Emulator/Partitions/{id}/{name} with a JSON body: one switch of one partition, set under the state's lock.
        static void MapPartitionSwitch<T>(WebApplication app, string name, Action<PartitionEntity, T?> apply) =>
            app.MapPost("/$Emulator/Partitions/{id}/" + name, async (string id, HttpContext context, EmulatorState state) =>
            {
                var (body, refusal) = await ReadControlBody<T>(context);
                if (refusal is not null) return refusal;
                if (!Guid.TryParse(id, out var partitionId)) return ControlError(400, "E_INVALIDARG", $"'{FabricErrorException.Clip(id)}' is not a partition id (a GUID).");
                lock (state.Gate)
                {
                    if (!state.Partitions.TryGetValue(partitionId, out var partition)) return ControlError(404, "FABRIC_E_PARTITION_NOT_FOUND", $"Partition {partitionId} does not exist.");
                    apply(partition, body);
                }
                return Results.NoContent();
            });

        // Control endpoints refuse in the same FabricError shape the BRS surface uses.
        static IResult ControlError(int status, string code, string message) =>
            Results.Content(BrsApi.ErrorBody(code, message).ToJsonString(), "application/json; charset=utf-8", statusCode: status);

        // A control endpoint's JSON body, or the 400 that refuses one that cannot be read.
        static async Task<(T? Body, IResult? Refusal)> ReadControlBody<T>(HttpContext context)
        {
            try
            {
                return (await context.Request.ReadFromJsonAsync<T>(context.RequestAborted), null);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return (default, ControlError(400, "E_INVALIDARG", ex.Message));
            }
        }
        static EmulatorFaults Shown(EmulatorFaults faults, EmulatorOptions options) => new()
        {
            Transient = faults.Transient, Html502 = faults.Html502, ResetBeforeApply = faults.ResetBeforeApply,
            ResetAfterApply = faults.ResetAfterApply, Truncated = faults.Truncated, Seed = faults.Seed,
            LatencyMs = options.LatencyMs, LatencyJitterMs = options.LatencyJitterMs,
        };
        app.MapFallback("{**path}", (HttpContext context, BrsApi api) => api.HandleAsync(context));
        return app;
    }
}

/// <summary>The body of POST /$Emulator/Clock.</summary>
public sealed record ClockChange(double AdvanceSeconds);

/// <summary>The body of POST /$Emulator/Partitions/{id}/FailBackups.</summary>
public sealed record FailBackups(bool Fail);

/// <summary>The body of POST /$Emulator/Partitions/{id}/LsnMinusOne.</summary>
public sealed record FaultSwitch(bool Enabled);

/// <summary>The body of POST /$Emulator/Storage.</summary>
public sealed record StorageSwitch(bool Unreachable);
