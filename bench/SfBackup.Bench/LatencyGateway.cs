using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

/// <summary>
/// `SfBackup.Bench gateway [latency-ms]`: a stand-in for a gateway whose Backup Restore Service answers every request
/// in the given latency and costs next to no CPU, for the bulk and side-by-side figures of issue 21 ("a server with
/// 5 ms latency"). On a real cluster the gateway runs on other machines; here it shares two cores with the client, so
/// the less it takes the more the figures are the client's. The emulator models the service's rules and takes about
/// 0.3 ms of CPU a request (Kestrel's own share about 0.1 ms, measured); this one is plain HTTP/1.1 over sockets.
/// It answers what the scenarios send, as a gateway does: the cluster version and manifest (what Connect-SfCluster
/// and Microsoft's Connect-SFCluster read), a restore progress, 202 to every POST; anything else is a FabricError
/// 404. Prints "listening on URL" once ready.
/// </summary>
internal static class LatencyGateway
{
    private static readonly byte[] Accepted = Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
    private static readonly byte[] Version = Json(200, "OK", "{\"Version\":\"10.1.2338.9590\"}");
    private static readonly byte[] Manifest = Json(200, "OK", "{\"Manifest\":\"<ClusterManifest Name=\\\"bench\\\" Version=\\\"1.0\\\" />\"}");
    private static readonly byte[] Progress = Json(200, "OK", "{\"RestoreState\":\"Success\",\"TimeStampUtc\":\"2026-12-01T10:00:00Z\",\"RestoredEpoch\":{\"DataLossNumber\":\"131462452931584510\",\"ConfigurationNumber\":\"8589934592\"},\"RestoredLsn\":\"261\"}");
    private static readonly byte[] NotFound = Json(404, "Not Found", "{\"Error\":{\"Code\":\"FABRIC_E_PARTITION_NOT_FOUND\",\"Message\":\"Not served by the bench gateway.\"}}");

    private static byte[] Json(int status, string reason, string body) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    public static void Run(int latencyMs)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1024);
        Console.WriteLine($"SfBackup bench gateway ({latencyMs} ms a request) listening on http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        while (true)
        {
            var socket = listener.AcceptSocket();
            socket.NoDelay = true;
            new Thread(() => Serve(socket, latencyMs)) { IsBackground = true, Name = "gateway connection" }.Start();
        }
    }

    /// <summary>
    /// One connection on a thread of its own, one request at a time (clients do not pipeline), kept alive until the
    /// client closes it. Blocking calls and a sleep until the answer is due: no thread pool hop, no timer thread and
    /// no readiness polling between a request and its answer. Measured over a bulk-raw run in a new process: 41–52 µs
    /// of CPU a request, where the async server with the emulator's timer (PreciseDelay) it replaced took 72–82 µs on
    /// the two cores the client also needs. The latency runs from the moment the whole request has arrived.
    /// </summary>
    private static void Serve(Socket socket, int latencyMs)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        var latency = latencyMs * Stopwatch.Frequency / 1000;
        TightenTimerSlack();
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (filled == buffer.Length) return;
                    var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0) return;
                    filled += read;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
                var total = headEnd + 4 + ContentLength(head);
                if (total > buffer.Length) return;
                while (filled < total)
                {
                    var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0) return;
                    filled += read;
                }
                var due = Stopwatch.GetTimestamp() + latency;
                var line = head.AsSpan(0, head.IndexOf('\r'));
                var isPost = line.StartsWith("POST ");
                var target = line[(line.IndexOf(' ') + 1)..];
                var path = target.Slice(0, target.IndexOfAny(' ', '?') is var end and >= 0 ? end : target.Length);
                var answer = isPost ? Accepted
                    : path.EndsWith("/$/GetClusterVersion") ? Version
                    : path.EndsWith("/$/GetClusterManifest") ? Manifest
                    : path.EndsWith("/$/GetRestoreProgress") ? Progress : NotFound;
                Buffer.BlockCopy(buffer, total, buffer, 0, filled - total);
                filled -= total;
                if (latency > 0) SleepUntil(due);
                socket.Send(answer, SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            // the client went away
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Sleeps until <paramref name="due"/> (a Stopwatch timestamp). On Linux the timestamp is CLOCK_MONOTONIC in
    /// nanoseconds, and clock_nanosleep to it wakes within the thread's timer slack (set to a microsecond) and the
    /// scheduler's delay; Thread.Sleep counts whole milliseconds (rounded up here, so never early) and woke about
    /// 0.16 ms late for 5 ms on this machine.
    /// </summary>
    private static void SleepUntil(long due)
    {
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var at = new TimeSpec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
            while (clock_nanosleep(ClockMonotonic, TimerAbsolute, ref at, IntPtr.Zero) == Interrupted) { }
            return;
        }
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due).TotalMilliseconds;
        if (left > 0) Thread.Sleep((int)Math.Ceiling(left));
    }

    /// <summary>This thread's timer slack to a microsecond (Linux; 50 µs by default), for <see cref="SleepUntil"/>.</summary>
    private static void TightenTimerSlack()
    {
        if (OperatingSystem.IsLinux()) _ = prctl(SetTimerSlack, 1000, 0, 0, 0);
    }

    private const int ClockMonotonic = 1, TimerAbsolute = 1, Interrupted = 4, SetTimerSlack = 29;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_nanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);

    [DllImport("libc", SetLastError = false)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>
    /// `bulk-raw URL [items] [in-flight]`: the bulk scenario's baseline, what the machine allows a client at all: a raw
    /// HttpClient posting Resume Partition Backup for each item, that many at once, after a warm-up of a fifth as many.
    /// Prints the milliseconds of the timed run, the process's CPU per request (µs), and the latency the gateway
    /// delivers one request at a time (ms, the answer included).
    /// </summary>
    public static async Task RawBulkAsync(Uri gateway, int items, int inFlight)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        async Task RunAsync(int count)
        {
            using var slots = new SemaphoreSlim(inFlight);
            var sent = new List<Task>(count);
            for (var i = 0; i < count; i++)
            {
                await slots.WaitAsync();
                var path = $"/Partitions/00000000-0000-4000-8000-{i:D12}/$/ResumeBackup?api-version=6.2-preview";
                sent.Add(Task.Run(async () =>
                {
                    try
                    {
                        using var answer = await http.PostAsync(path, null);
                        answer.EnsureSuccessStatusCode();
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
            await Task.WhenAll(sent);
        }
        await RunAsync(Math.Max(1, items / 5));
        // What the gateway delivers: one request at a time, its answer included.
        var single = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++) await http.GetStringAsync("/$/GetClusterVersion");
        var delivered = single.Elapsed.TotalMilliseconds / 100;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await RunAsync(items);
        process.Refresh();
        Console.WriteLine($"{clock.Elapsed.TotalMilliseconds:0} {(process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / items:0} {delivered:0.00}");
    }

    private static int ContentLength(string head)
    {
        foreach (var header in head.Split("\r\n"))
        {
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) && int.TryParse(header.AsSpan(15).Trim(), out var length)) return length;
        }
        return 0;
    }
}
