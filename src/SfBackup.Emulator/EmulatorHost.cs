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
            Results.Json(journal.Snapshot().Select(e => new { e.Method, e.RawTarget, e.Status })));
        app.MapFallback("{**path}", (HttpContext context, BrsApi api) => api.HandleAsync(context));
        return app;
    }
}
