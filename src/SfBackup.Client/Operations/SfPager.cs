using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>A server that hands back a continuation token it already gave: following it would loop forever.</summary>
    public sealed class SfPagingException : SfClientException
    {
        public SfPagingException(string operation, string token)
            : base($"{operation}: the server repeated continuation token '{token}'; stopped instead of looping.", null)
        {
            Operation = operation;
        }

        public override string ErrorId => "SfRepeatedContinuationToken";
        public override SfErrorKind Kind => SfErrorKind.ProtocolError;
    }

    /// <summary>
    /// Reads a paged answer one page at a time, so callers can stream items as pages arrive and stop early
    /// (-First). Follows continuation tokens until one is empty; refuses a token it has seen before.
    /// </summary>
    public sealed class SfPager<T>
    {
        private readonly Func<string?, CancellationToken, Task<SfPagedList<T>>> _fetch;
        private readonly string _operation;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private string? _token;

        public SfPager(string operation, Func<string?, CancellationToken, Task<SfPagedList<T>>> fetch)
        {
            _operation = operation;
            _fetch = fetch;
        }

        public bool HasMore { get; private set; } = true;
        public int PagesRead { get; private set; }

        /// <summary>The cluster's time when it sent the last page read, when it said (its Date header).</summary>
        public DateTimeOffset? LastServerDate { get; private set; }

        public async Task<IReadOnlyList<T>> NextPageAsync(CancellationToken cancellationToken)
        {
            if (!HasMore) return Array.Empty<T>();
            var page = await _fetch(_token, cancellationToken).ConfigureAwait(false);
            PagesRead++;
            LastServerDate = page.ServerDate ?? LastServerDate;
            var next = page.ContinuationToken;
            if (string.IsNullOrEmpty(next))
            {
                HasMore = false;
            }
            else if (!_seen.Add(next!))
            {
                HasMore = false;
                throw new SfPagingException(_operation, next!);
            }
            _token = next;
            return (IReadOnlyList<T>?)page.Items ?? Array.Empty<T>();
        }

        /// <summary>Every item of every page (tests, and callers that want a list).</summary>
        public async Task<List<T>> ReadAllAsync(CancellationToken cancellationToken = default)
        {
            var all = new List<T>();
            while (HasMore) all.AddRange(await NextPageAsync(cancellationToken).ConfigureAwait(false));
            return all;
        }
    }
}
