using System;

namespace SfBackup.Client.Transport
{
    /// <summary>What kind of failure a call ended in; the PowerShell layer maps it to an ErrorCategory.</summary>
    public enum SfErrorKind : long
    {
        Unknown,
        NotFound,
        InvalidArgument,
        Busy,
        PermissionDenied,
        Unavailable,
        Timeout,
        ConnectionFailed,
        ProtocolError,
    }

    /// <summary>Base of every failure the client reports. Messages never carry request bodies (they may hold secrets).</summary>
    public abstract class SfClientException : Exception
    {
        protected SfClientException(string message, Exception? inner) : base(message, inner) { }

        /// <summary>Operation name from <see cref="SfOperation"/>, e.g. ResumePartitionBackup.</summary>
        public string? Operation { get; internal set; }

        /// <summary>The X-ServiceFabricRequestId of the last attempt.</summary>
        public string? RequestId { get; internal set; }

        /// <summary>The error id PowerShell records use: the raw FabricError code when there is one.</summary>
        public abstract string ErrorId { get; }

        public abstract SfErrorKind Kind { get; }
    }

    /// <summary>
    /// The cluster answered with a status other than 2xx. One type for every such answer, whether or not the body
    /// was a FabricError: <see cref="ErrorCode"/> is then null and <see cref="ErrorId"/> falls back to HttpNNN.
    /// </summary>
    public sealed class SfFabricException : SfClientException
    {
        public SfFabricException(int statusCode, string? errorCode, string? fabricMessage, string? requestId, string? operation, string? bodySnippet)
            : base(Compose(statusCode, errorCode, fabricMessage, operation, bodySnippet), null)
        {
            StatusCode = statusCode;
            ErrorCode = errorCode;
            FabricMessage = fabricMessage;
            RequestId = requestId;
            Operation = operation;
            BodySnippet = bodySnippet;
        }

        public int StatusCode { get; }

        /// <summary>The FabricError code exactly as the server sent it (documented or not), or null.</summary>
        public string? ErrorCode { get; }

        public string? FabricMessage { get; }

        /// <summary>Start of a body that was not a FabricError (an HTML proxy page, say), for diagnosis.</summary>
        public string? BodySnippet { get; }

        public override string ErrorId => string.IsNullOrEmpty(ErrorCode) ? "Http" + StatusCode : ErrorCode!;

        public override SfErrorKind Kind => FabricErrorClassifier.Classify(StatusCode, ErrorCode);

        /// <summary>503 and 504 answers are the documented transient ones.</summary>
        public bool IsTransient => StatusCode == 503 || StatusCode == 504;

        private static string Compose(int status, string? code, string? message, string? operation, string? snippet)
        {
            var head = string.IsNullOrEmpty(code) ? $"HTTP {status}" : $"{code} (HTTP {status})";
            // A cluster's message may quote what was sent: it is cut, so an error never repeats a huge name.
            var text = !string.IsNullOrEmpty(message) ? Input.SfText.Clip(message, 500)
                : !string.IsNullOrEmpty(snippet) ? "the answer was not a FabricError: " + snippet
                : "the answer had no body";
            return operation is null ? $"{head}: {text}" : $"{operation} failed with {head}: {text}";
        }
    }

    /// <summary>No HTTP answer at all: every endpoint refused or failed, or the client-side wait ran out.</summary>
    public sealed class SfConnectionException : SfClientException
    {
        public SfConnectionException(string message, bool isTimeout, Exception? inner) : base(message, inner)
        {
            IsTimeout = isTimeout;
        }

        public bool IsTimeout { get; }

        /// <summary>No connection could be made at all (refused, name not resolved): the request never left.</summary>
        public bool Unreachable { get; set; }

        /// <summary>The request was sent, and its answer never came: it may or may not have been applied.</summary>
        public bool AnswerLost => !Unreachable;

        /// <summary>
        /// The failure will repeat for every call on this connection (a TLS handshake that failed, a peer that does not
        /// speak HTTP): it was not retried, and a cmdlet stops at the first item.
        /// </summary>
        public bool Final { get; set; }

        /// <summary>What to change, in operator words, when the failure says it (a thumbprint to pin, a scheme to use).</summary>
        public string? Advice { get; set; }

        public override string ErrorId => IsTimeout ? "SfRequestTimedOut" : "SfConnectionFailed";

        public override SfErrorKind Kind => IsTimeout ? SfErrorKind.Timeout : SfErrorKind.ConnectionFailed;
    }

    /// <summary>
    /// The PowerShell ErrorCategory each kind is reported under, by name (this assembly has no PowerShell
    /// reference): 404 → ObjectNotFound, 409 → ResourceBusy, 400 → InvalidArgument, 503 → ConnectionError,
    /// 504 → OperationTimeout.
    /// </summary>
    public static class SfErrorCategories
    {
        public static string NameOf(SfErrorKind kind)
        {
            switch (kind)
            {
                case SfErrorKind.NotFound: return "ObjectNotFound";
                case SfErrorKind.InvalidArgument: return "InvalidArgument";
                case SfErrorKind.Busy: return "ResourceBusy";
                case SfErrorKind.PermissionDenied: return "PermissionDenied";
                case SfErrorKind.Unavailable: return "ConnectionError";
                case SfErrorKind.Timeout: return "OperationTimeout";
                case SfErrorKind.ConnectionFailed: return "ConnectionError";
                case SfErrorKind.ProtocolError: return "ProtocolError";
                default: return "NotSpecified";
            }
        }
    }

    /// <summary>Maps a status and FabricError code to a failure kind; the code wins where it is specific.</summary>
    public static class FabricErrorClassifier
    {
        public static SfErrorKind Classify(int statusCode, string? errorCode)
        {
            switch (errorCode)
            {
                case "FABRIC_E_BACKUP_IN_PROGRESS":
                case "FABRIC_E_RESTORE_IN_PROGRESS":
                // The REST specification's spelling, and the one clusters send (the runtime's native name).
                case "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING":
                case "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS":
                    return SfErrorKind.Busy;
                case "FABRIC_E_TIMEOUT":
                case "FABRIC_E_OPERATION_NOT_COMPLETE":
                    return SfErrorKind.Timeout;
            }

            switch (statusCode)
            {
                case 400: return SfErrorKind.InvalidArgument;
                case 401:
                case 403: return SfErrorKind.PermissionDenied;
                case 404: return SfErrorKind.NotFound;
                case 409: return SfErrorKind.Busy;
                case 503: return SfErrorKind.Unavailable;
                case 504: return SfErrorKind.Timeout;
                default: return SfErrorKind.Unknown;
            }
        }
    }
}

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// Input the client refuses before anything is sent: a name that would reach another route, a storage whose
    /// secret the cluster masked, a credential that would travel in clear text. <see cref="ErrorId"/> is the stable id
    /// PowerShell records carry; <see cref="SameForEveryItem"/> says the refusal does not depend on the pipeline item
    /// (a -Storage, a connection setting), so a cmdlet stops once instead of failing every item.
    /// </summary>
    public sealed class SfRefusedInputException : ArgumentException
    {
        public SfRefusedInputException(string errorId, string message, bool sameForEveryItem = false) : base(message)
        {
            ErrorId = errorId;
            SameForEveryItem = sameForEveryItem;
        }

        public string ErrorId { get; }

        public bool SameForEveryItem { get; }

        /// <summary>What the operator can do about it, in their words; null when the message says it all.</summary>
        public string? RecommendedAction { get; set; }
    }

    /// <summary>
    /// A 2xx answer that no Service Fabric gateway gives (an HTML page, plain text): whatever answered is not the
    /// cluster, so nothing it says counts as a success. Every further call would meet the same server.
    /// </summary>
    public sealed class SfNotGatewayException : SfClientException
    {
        public SfNotGatewayException(string message) : base(message, null) { }

        public override string ErrorId => "SfNotServiceFabricGateway";

        public override SfErrorKind Kind => SfErrorKind.ProtocolError;
    }
}
