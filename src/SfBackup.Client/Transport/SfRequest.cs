using System;
using System.Collections.Generic;
using System.Text.Json.Serialization.Metadata;

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// One call about to be sent: the operation, its resolved path, operation-specific query parameters (in the
    /// order the reference documents list them, before api-version and timeout) and an optional JSON body.
    /// </summary>
    public sealed class SfRequest
    {
        public SfRequest(SfOperation operation, string path)
        {
            Operation = operation ?? throw new ArgumentNullException(nameof(operation));
            Path = RequireOwnRoute(path ?? throw new ArgumentNullException(nameof(path)));
        }

        /// <summary>
        /// The last guard before a path becomes a URI: a '.' or '..' segment would be folded away by the URI (and by
        /// any gateway), sending the request to another route than the one its operation names.
        /// </summary>
        private static string RequireOwnRoute(string path)
        {
            for (var start = 0; start < path.Length;)
            {
                var end = path.IndexOf('/', start);
                if (end < 0) end = path.Length;
                var length = end - start;
                if ((length == 1 && path[start] == '.') || (length == 2 && path[start] == '.' && path[start + 1] == '.'))
                    throw new SfRefusedInputException("SfInvalidName", "A name in this request is '.' or '..': the request would reach another route, so it is not sent.");
                start = end + 1;
            }
            return path;
        }

        public SfOperation Operation { get; }
        public string Path { get; }
        public List<KeyValuePair<string, string>> Query { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Serialises the body at send time, so that secrets are turned to text as late as possible.</summary>
        public Func<byte[]>? Body { get; private set; }

        public SfRequest WithQuery(string name, string? value)
        {
            if (value != null) Query.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        public SfRequest WithJsonBody<T>(T body, JsonTypeInfo<T> typeInfo)
        {
            Body = () => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, typeInfo);
            return this;
        }
    }

    /// <summary>What a successful call returns: status, body bytes and the request id it was sent with.</summary>
    public sealed class SfResponse
    {
        public SfResponse(int statusCode, byte[] body, string requestId, Uri requestUri)
        {
            StatusCode = statusCode;
            Body = body;
            RequestId = requestId;
            RequestUri = requestUri;
        }

        public int StatusCode { get; }
        public byte[] Body { get; }
        public string RequestId { get; }
        public Uri RequestUri { get; }

        /// <summary>The cluster's time when it answered (its Date header), when it sent one.</summary>
        public DateTimeOffset? ServerDate { get; set; }

        /// <summary>The answer was lost, and reading the cluster showed the change in place (SfBackupClient.SendIntentAsync).</summary>
        public bool VerifiedByRead { get; set; }
    }
}
