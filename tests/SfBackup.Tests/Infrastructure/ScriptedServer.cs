using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography.X509Certificates;
using SfBackup.Client.Session;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// A loopback server whose answers the test scripts: malformed bodies, proxy pages, 503 bursts, hangs. Counts the
/// requests it saw.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri BaseUri => new(_app.Urls.Single());
    public int RequestCount => Volatile.Read(ref _count);
    public List<string> Targets { get; } = [];

    /// <summary>When each request arrived, and over which TCP connection, in order.</summary>
    public List<(DateTime At, string ConnectionId)> Arrivals { get; } = [];

    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, int, Task> respond, X509Certificate2? httpsCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (httpsCertificate is null) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.UseHttps(httpsCertificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(async context =>
        {
            var n = Interlocked.Increment(ref server._count);
            lock (server.Targets)
            {
                server.Targets.Add(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
                server.Arrivals.Add((DateTime.UtcNow, context.Connection.Id));
            }
            await respond(context, n);
        });
        await app.StartAsync();
        return server;
    }

    /// <summary>Answers every request with one status, content type and body.</summary>
    public static Task<ScriptedServer> AnswerAsync(int status, string contentType, string body) =>
        StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            if (body.Length > 0)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            }
        });

    public SfClusterConnection Connect(Action<SfConnectionOptions>? configure = null)
    {
        var options = new SfConnectionOptions { Endpoints = [BaseUri], RetryDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new SfClusterConnection(options);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
