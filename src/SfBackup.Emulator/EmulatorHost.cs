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
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var options = new EmulatorOptions();
        builder.Configuration.GetSection("Emulator").Bind(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
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
        // What arrived, oldest first: method, path and query, status. Tests in another process (Pester) read it to
        // prove which emulator a request reached.
        app.MapGet("/$Emulator/Journal", (RequestJournal journal) =>
            Results.Json(journal.Snapshot().Select(e => new { e.Method, e.RawTarget, e.Status, e.Fault, e.Applied })));
        // The injected faults, read and replaced while the emulator runs (see EmulatorFaults for the fields).
        app.MapGet("/$Emulator/Faults", (FaultInjector faults, EmulatorOptions current) => Results.Json(Shown(faults.Settings, current)));
        app.MapPost("/$Emulator/Faults", async (HttpContext context, FaultInjector faults, EmulatorOptions current) =>
        {
            EmulatorFaults? settings;
            try
            {
                settings = await context.Request.ReadFromJsonAsync<EmulatorFaults>(context.RequestAborted);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Results.Json(new { Error = new { Code = "E_INVALIDARG", ex.Message } }, statusCode: 400);
            }
            settings ??= new EmulatorFaults();
            if (settings.LatencyMs is < 0 || settings.LatencyJitterMs is < 0)
                return Results.Json(new { Error = new { Code = "E_INVALIDARG", Message = "Latency must not be negative." } }, statusCode: 400);
            try
            {
                faults.Replace(settings);
                if (settings.Next is { } next) faults.ForceNext(next);
            }
            catch (FabricErrorException ex)
            {
                return Results.Json(new { Error = new { ex.Code, ex.Message } }, statusCode: ex.Status);
            }
            if (settings.LatencyMs is { } latency) current.LatencyMs = latency;
            if (settings.LatencyJitterMs is { } jitter) current.LatencyJitterMs = jitter;
            return Results.Json(Shown(faults.Settings, current));
        });
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
