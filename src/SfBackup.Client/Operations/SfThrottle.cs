using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SfBackup.Client.Operations
{
    /// <summary>Runs one piece of work per item, at most a given number at a time, and waits for all of them.</summary>
    public static class SfThrottle
    {
        public static async Task ForEachAsync<T>(IEnumerable<T> items, int limit, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken)
        {
            using (var slots = new SemaphoreSlim(Math.Max(1, limit)))
            {
                await Task.WhenAll(items.Select(async item =>
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await work(item, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }).ToList()).ConfigureAwait(false);
            }
        }
    }
}
