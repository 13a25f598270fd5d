using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace SfBackup.Emulator;

/// <summary>One request, parsed: the entity part of the path, the action after /$/, the query, the body.</summary>
public sealed class BrsCall
{
    public required string EntityKey { get; init; }
    public required string ApiVersion { get; init; }
    public required IQueryCollection Query { get; init; }
    public required byte[] Body { get; init; }

    /// <summary>The api-version the caller sent is below 6.4: answer in the 6.2-era shapes.</summary>
    public bool Wants62Shapes => BrsApi.CompareVersions(ApiVersion, "6.4") < 0;

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
    private readonly Dictionary<string, Route> _routes = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Route(string ApiVersion, int SuccessStatus, Func<BrsCall, object?> Handler);

    public BrsApi(EmulatorState state, EmulatorOptions options, RequestJournal journal)
    {
        _state = state;
        _options = options;
        _journal = journal;
        var handlers = new BackupHandlers(state);
        // api-versions are the seed documents' (the lowest each operation accepts).
        Add("POST", "Partitions", "ResumeBackup", "6.2-preview", 202, handlers.ResumePartitionBackup);
        Add("POST", "Partitions", "EnableBackup", "6.2-preview", 202, handlers.EnablePartitionBackup);
        Add("POST", "Partitions", "Backup", "6.4", 202, handlers.BackupPartition);
        Add("GET", "Partitions", "GetRestoreProgress", "6.2-preview", 200, handlers.GetRestoreProgress);
        Add("POST", "Services", "ResumeBackup", "6.2-preview", 202, handlers.ResumeServiceBackup);
    }

    private void Add(string method, string collection, string action, string apiVersion, int status, Func<BrsCall, object?> handler) =>
        _routes[$"{method} {collection}/{action}"] = new Route(apiVersion, status, handler);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
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
            answer = new JsonObject { ["Error"] = new JsonObject { ["Code"] = ex.Code, ["Message"] = ex.Message } };
        }

        _journal.Add(new JournalEntry(
            request.Method, rawTarget,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Encoding.UTF8.GetString(body), status));

        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(answer), context.RequestAborted);
        }
    }

    private (int, object?) Dispatch(string method, string rawTarget, IQueryCollection query, byte[] body)
    {
        var path = rawTarget.Split('?', 2)[0];
        var marker = path.IndexOf("/$/", StringComparison.Ordinal);
        var entityPath = marker < 0 ? path : path[..marker];
        var action = marker < 0 ? "" : Uri.UnescapeDataString(path[(marker + 3)..]);
        var slash = entityPath.IndexOf('/', 1);
        var collection = slash < 0 ? entityPath.Trim('/') : entityPath[1..slash];
        var key = slash < 0 ? "" : Uri.UnescapeDataString(entityPath[(slash + 1)..]);

        if (!_routes.TryGetValue($"{method} {collection}/{action}", out var route))
            throw new FabricErrorException(404, "NotFound", $"No operation {method} {path} in this emulator.");

        var apiVersion = query["api-version"].ToString();
        if (string.IsNullOrEmpty(apiVersion))
            throw FabricErrorException.InvalidArgument("The api-version query parameter is required.");
        if (!TryParseVersion(apiVersion, out _)
            || CompareVersions(apiVersion, route.ApiVersion) < 0
            || CompareVersions(apiVersion, _options.RuntimeVersion) > 0)
        {
            throw FabricErrorException.InvalidArgument(
                $"api-version '{apiVersion}' is not supported by this operation: use {route.ApiVersion} up to {_options.RuntimeVersion}.");
        }

        if (query.TryGetValue("timeout", out var timeout))
        {
            if (!long.TryParse(timeout.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > 4294967295)
                throw FabricErrorException.InvalidArgument($"timeout '{timeout}' must be a whole number of seconds from 1 to 4294967295.");
        }

        var call = new BrsCall { EntityKey = key, ApiVersion = apiVersion, Query = query, Body = body };
        return (route.SuccessStatus, route.Handler(call));
    }

    /// <summary>Versions such as 6.2-preview, 6.4, 10.1: numerically, and a preview below its release.</summary>
    public static int CompareVersions(string left, string right)
    {
        if (!TryParseVersion(left, out var a) || !TryParseVersion(right, out var b)) return string.CompareOrdinal(left, right);
        return a.CompareTo(b);
    }

    private static bool TryParseVersion(string text, out (int Major, int Minor, int Release) version)
    {
        version = default;
        var preview = text.EndsWith("-preview", StringComparison.OrdinalIgnoreCase);
        var core = preview ? text[..^"-preview".Length] : text;
        var parts = core.Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        version = (major, minor, preview ? 0 : 1);
        return true;
    }
}
