using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using SfBackup.Client.Transport;

namespace SfBackup.Emulator;

/// <summary>One request, parsed: the entity part of the path, the action after /$/, the query, the body.</summary>
public sealed class BrsCall
{
    /// <summary>Applications, Services, Partitions, BackupPolicies or BackupRestore.</summary>
    public required string Collection { get; init; }
    public required string EntityKey { get; init; }
    public required string ApiVersion { get; init; }
    public required IQueryCollection Query { get; init; }
    public required byte[] Body { get; init; }

    /// <summary>The api-version the caller sent is below 6.4: answer in the 6.2-era shapes.</summary>
    public bool Wants62Shapes => SfApiVersion.Compare(ApiVersion, "6.4") < 0;

    public JsonObject RequireJsonObject()
    {
        if (Body.Length == 0) throw FabricErrorException.InvalidArgument("The request body is missing.");
        try
        {
            return JsonNode.Parse(Body) as JsonObject ?? throw FabricErrorException.InvalidArgument("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw FabricErrorException.InvalidArgument("The request body is not valid JSON: " + ex.Message);
        }
    }

    public JsonObject? OptionalJsonObject() => Body.Length == 0 || Body.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t') ? null : RequireJsonObject();
}

/// <summary>
/// The emulator's REST surface. Paths are parsed by hand, not by route templates: a serviceId may hold '/' (the
/// pre-6.0 form the seed examples use) and still be followed by /$/Action, which catch-all templates cannot express.
/// </summary>
public sealed class BrsApi
{
    private readonly EmulatorState _state;
    private readonly EmulatorOptions _options;
    private readonly RequestJournal _journal;
    private readonly FaultInjector _faults;
    private readonly Dictionary<string, Route> _routes = new(StringComparer.OrdinalIgnoreCase);

    private const string ListAction = "(list)";
    private const string GetAction = "(get)";

    private sealed record Route(string ApiVersion, int SuccessStatus, Func<BrsCall, object?> Handler);

    public BrsApi(EmulatorState state, EmulatorOptions options, RequestJournal journal, FaultInjector faults)
    {
        _state = state;
        _options = options;
        _journal = journal;
        _faults = faults;
        var h = new BackupHandlers(state, options);
        // The lowest api-version each operation accepts: the seed documents' for the first five, 6.4 for the rest of
        // BRS (9.1 for SkipAutoRestore), and the cluster queries' own.
        foreach (var collection in new[] { "Applications", "Services", "Partitions" })
        {
            var seeded = collection != "Applications";
            Add("POST", collection, "EnableBackup", collection == "Partitions" ? "6.2-preview" : "6.4", 202, h.Enable);
            Add("POST", collection, "DisableBackup", "6.4", 202, h.Disable);
            Add("POST", collection, "SuspendBackup", "6.4", 202, h.Suspend);
            Add("POST", collection, "ResumeBackup", seeded ? "6.2-preview" : "6.4", 202, h.Resume);
            Add("GET", collection, "GetBackupConfigurationInfo", "6.4", 200, h.Configuration);
            Add("GET", collection, "GetBackups", "6.4", 200, h.Backups);
        }
        Add("POST", "Partitions", "Backup", "6.4", 202, h.BackupPartition);
        Add("GET", "Partitions", "GetBackupProgress", "6.4", 200, h.BackupProgress);
        Add("POST", "Partitions", "Restore", "6.4", 202, h.Restore);
        Add("GET", "Partitions", "GetRestoreProgress", "6.2-preview", 200, h.GetRestoreProgress);
        Add("POST", "Partitions", "SkipAutoRestore", "9.1", 202, h.SkipAutoRestore);
        Add("POST", "Partitions", "ReportHealth", "6.0", 200, h.ReportPartitionHealth);
        Add("GET", "Partitions", "GetHealth", "6.0", 200, h.GetPartitionHealth);

        Add("POST", "BackupPolicies", "Create", "6.4", 201, h.CreatePolicy);
        Add("POST", "BackupPolicies", "Update", "6.4", 200, h.UpdatePolicy);
        Add("POST", "BackupPolicies", "Delete", "6.4", 200, h.DeletePolicy);
        Add("GET", "BackupPolicies", ListAction, "6.4", 200, h.ListPolicies);
        Add("GET", "BackupPolicies", GetAction, "6.4", 200, h.GetPolicy);
        Add("GET", "BackupPolicies", "GetBackupEnabledEntities", "6.4", 200, h.PolicyEntities);
        Add("POST", "BackupRestore", "GetBackups", "6.4", 200, h.BackupsInStorage);

        // Cluster-level reads other Service Fabric tools make on connect (Microsoft's module, Service Fabric Explorer).
        Add("GET", "", "GetClusterManifest", "6.0", 200, _ => ClusterManifest());
        Add("GET", "", "GetClusterVersion", "6.4", 200, _ => new JsonObject { ["Version"] = _options.RuntimeVersion + ".0.0" });

        Add("GET", "Applications", ListAction, "6.1", 200, h.Applications);
        Add("GET", "Applications", "GetServices", "6.0", 200, h.Services);
        Add("GET", "Services", "GetPartitions", "6.0", 200, h.Partitions);
        Add("GET", "Partitions", "GetServiceName", "6.0", 200, h.ServiceNameOf);
    }

    private void Add(string method, string collection, string action, string apiVersion, int status, Func<BrsCall, object?> handler) =>
        _routes[$"{method} {collection}/{action}"] = new Route(apiVersion, status, handler);

    public async Task HandleAsync(HttpContext context)
    {
        _journal.Arrived();
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            _journal.Left();
        }
    }

    /// <summary>The largest request target, header block and body the emulator takes (a gateway has such limits too).</summary>
    public const int MaxTargetBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxBodyBytes = 1024 * 1024;

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        // Oversized requests get a short FabricError that never repeats what was sent.
        if (rawTarget.Length > MaxTargetBytes)
        {
            await WriteAsync(context, 414, ErrorBody("E_INVALIDARG", $"The request target is {rawTarget.Length} bytes; at most {MaxTargetBytes} are taken."));
            return;
        }
        var headerBytes = request.Headers.Sum(h => h.Key.Length + h.Value.ToString().Length + 4);
        if (headerBytes > MaxHeaderBytes)
        {
            await WriteAsync(context, 431, ErrorBody("E_INVALIDARG", $"The request headers are {headerBytes} bytes; at most {MaxHeaderBytes} are taken."));
            return;
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            await WriteAsync(context, 413, ErrorBody("E_INVALIDARG", $"The request body is {request.ContentLength} bytes; at most {MaxBodyBytes} are taken."));
            return;
        }
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    await WriteAsync(context, 413, ErrorBody("E_INVALIDARG", $"The request body is over {MaxBodyBytes} bytes, the most taken."));
                    return;
                }
                buffer.Write(chunk, 0, read);
            }
            body = buffer.ToArray();
        }

        var latency = _options.LatencyMs + (_options.LatencyJitterMs > 0 ? Random.Shared.Next(_options.LatencyJitterMs + 1) : 0);
        if (latency > 0)
        {
            try
            {
                await PreciseDelay.WaitAsync(latency, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client went away: nothing applied, nothing journaled
            }
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        void Journal(int status, string? fault, bool applied) =>
            _journal.Add(new JournalEntry(request.Method, rawTarget, headers, Encoding.UTF8.GetString(body), status, fault, applied));

        var fault = _faults.Draw();
        switch (fault)
        {
            case nameof(EmulatorFaults.Transient):
                var (transientStatus, code) = _faults.TransientAnswer();
                Journal(transientStatus, fault, false);
                await WriteAsync(context, transientStatus, ErrorBody(code, "The cluster is busy (injected by the emulator)."));
                return;
            case nameof(EmulatorFaults.Html502):
                Journal(502, fault, false);
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1><p>upstream did not answer (injected by the emulator)</p></body></html>", context.RequestAborted);
                return;
            case nameof(EmulatorFaults.ResetBeforeApply):
                Journal(0, fault, false);
                context.Abort();
                return;
        }

        int status;
        object? answer;
        try
        {
            (status, answer) = Dispatch(request.Method, rawTarget, request.Query, body);
        }
        catch (FabricErrorException ex)
        {
            status = ex.Status;
            answer = ErrorBody(ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug in the emulator, never the caller's fault: still a FabricError answer, and a 500 the hostile-request
            // test looks for.
            status = 500;
            answer = ErrorBody("E_FAIL", $"The emulator failed: {ex.GetType().Name}: {ex.Message}");
        }
        var applied = status is >= 200 and < 300 && !HttpMethods.IsGet(request.Method);

        if (fault == nameof(EmulatorFaults.ResetAfterApply))
        {
            Journal(0, fault, applied);
            context.Abort();
            return;
        }
        var text = answer is null ? null : answer is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(answer);
        if (fault == nameof(EmulatorFaults.Truncated) && text is { Length: > 1 })
        {
            Journal(status, fault, applied);
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }
        Journal(status, fault is nameof(EmulatorFaults.Truncated) ? null : fault, applied);
        await WriteAsync(context, status, text);
    }

    /// <summary>A FabricError answer body: {"Error":{"Code","Message"}}.</summary>
    public static JsonObject ErrorBody(string code, string message) =>
        new() { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = SfBackup.Client.Input.SfText.Clip(message, MaxMessageChars) } };

    /// <summary>However long what a message quotes, an error answer stays short.</summary>
    public const int MaxMessageChars = 500;

    private async Task WriteAsync(HttpContext context, int status, object? answer)
    {
        context.Response.StatusCode = status;
        // FabricErrorError.ToHttpResponseMessage: a 404 of the service's own says so in a header.
        if (status == 404) context.Response.Headers["X-ServiceFabric"] = "ResourceNotFound";
        // The cluster's own time, as clusters send it: the emulator's clock, also after POST /$Emulator/Clock moved it.
        context.Response.Headers.Date = _state.Now.ToString("R", CultureInfo.InvariantCulture);
        if (answer is null) return;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer is string text ? text : answer is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(answer), context.RequestAborted);
    }

    private JsonObject ClusterManifest()
    {
        var nodes = string.Concat(Enumerable.Range(0, 5).Select(i => $"<NodeType Name=\"NodeType{i}\" />"));
        return new JsonObject
        {
            ["Manifest"] = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><ClusterManifest Name=\"SfBackupEmulator\" Version=\"{_options.RuntimeVersion}\" " +
                "xmlns=\"http://schemas.microsoft.com/2011/01/fabric\"><NodeTypes>" + nodes + "</NodeTypes>" +
                "<FabricSettings><Section Name=\"BackupRestoreService\"><Parameter Name=\"SecretEncryptionCertThumbprint\" Value=\"\" /></Section></FabricSettings></ClusterManifest>",
        };
    }

    private static string Shorten(string text) => SfBackup.Client.Input.SfText.Clip(text, 200);

    private (int, object?) Dispatch(string method, string rawTarget, IQueryCollection query, byte[] body)
    {
        var path = rawTarget.Split('?', 2)[0];
        if (!path.StartsWith('/'))
            throw FabricErrorException.InvalidArgument($"The request target '{Shorten(rawTarget)}' is not a path.");
        var marker = path.IndexOf("/$/", StringComparison.Ordinal);
        var entityPath = (marker < 0 ? path : path[..marker]).Trim('/');
        var action = marker < 0 ? "" : Uri.UnescapeDataString(path[(marker + 3)..]);
        var slash = entityPath.IndexOf('/');
        var collection = slash < 0 ? entityPath : entityPath[..slash];
        var key = slash < 0 ? "" : Uri.UnescapeDataString(entityPath[(slash + 1)..]);
        if (collection == "BackupRestore" && (key == "BackupPolicies" || key.StartsWith("BackupPolicies/", StringComparison.Ordinal)))
        {
            collection = "BackupPolicies";
            key = key.Length > "BackupPolicies".Length ? key["BackupPolicies/".Length..] : "";
        }
        // Paths without /$/: a collection (a list) or one named item (a get).
        if (marker < 0) action = key.Length == 0 ? ListAction : GetAction;

        if (!_routes.TryGetValue($"{method} {collection}/{action}", out var route))
            throw new FabricErrorException(404, "NotFound", $"No operation {method} {Shorten(path)} in this emulator.");

        var apiVersion = query["api-version"].ToString();
        if (string.IsNullOrEmpty(apiVersion))
            throw FabricErrorException.InvalidArgument("The api-version query parameter is required.");
        if (!SfApiVersion.TryParse(apiVersion, out _)
            || SfApiVersion.Compare(apiVersion, route.ApiVersion) < 0
            || SfApiVersion.Compare(apiVersion, _options.RuntimeVersion) > 0)
        {
            throw FabricErrorException.InvalidArgument(
                $"api-version '{apiVersion}' is not supported by this operation: use {route.ApiVersion} up to {_options.RuntimeVersion}.");
        }

        if (query.TryGetValue("timeout", out var timeout))
        {
            if (!long.TryParse(timeout.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > 4294967295)
                throw FabricErrorException.InvalidArgument($"timeout '{timeout}' must be a whole number of seconds from 1 to 4294967295.");
        }

        var call = new BrsCall { Collection = collection, EntityKey = key, ApiVersion = apiVersion, Query = query, Body = body };
        lock (_state.Gate) _state.Settle();
        return (route.SuccessStatus, route.Handler(call));
    }
}
