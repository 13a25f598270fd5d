using System.Diagnostics;

namespace SfBackup.Emulator;

/// <summary>
/// The emulator's injected latency, delivered as asked. Task.Delay schedules on the runtime's timer queue, which
/// counts time in the coarse clock's ticks: on this machine kind (4 ms ticks) 5 ms asked gave 8.4 ms, and every
/// bulk figure measured against a "5 ms" emulator was measured against 8–9 ms. Here one background thread sleeps
/// until the earliest due time with Monitor.Wait and completes what is due (5 ms asked: about 5.1 ms between request and answer, measured by the bench); continuations
/// run on the thread pool, never on that thread.
/// </summary>
public static class PreciseDelay
{
    private static readonly object Gate = new();
    private static readonly PriorityQueue<TaskCompletionSource, long> Due = new();
    private static Thread? _timer;

    /// <summary>How late Monitor.Wait wakes, in milliseconds (measured here: 5.4 ms for 5).</summary>
    private const double WakesLate = 0.3;

    public static Task WaitAsync(int milliseconds, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var due = Stopwatch.GetTimestamp() + milliseconds * Stopwatch.Frequency / 1000;
        lock (Gate)
        {
            Due.Enqueue(done, due);
            if (_timer == null)
            {
                _timer = new Thread(Run) { IsBackground = true, Name = "Emulator latency" };
                _timer.Start();
            }
            Monitor.Pulse(Gate);
        }
        return cancellationToken.CanBeCanceled ? done.Task.WaitAsync(cancellationToken) : done.Task;
    }

    private static void Run()
    {
        while (true)
        {
            TaskCompletionSource ready;
            lock (Gate)
            {
                while (true)
                {
                    if (!Due.TryPeek(out var first, out var due))
                    {
                        Monitor.Wait(Gate);
                        continue;
                    }
                    // Monitor.Wait takes whole milliseconds and wakes about 0.3 ms late: wait the nearest whole number
                    // of milliseconds to what is left less that, and count what would round to none as due. Each
                    // answer is then within about half a millisecond of its time, early or late. Never spins.
                    var milliseconds = (int)Math.Round((due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency - WakesLate);
                    if (milliseconds <= 0)
                    {
                        ready = Due.Dequeue();
                        break;
                    }
                    Monitor.Wait(Gate, milliseconds);
                }
            }
            ready.TrySetResult();
        }
    }
}
