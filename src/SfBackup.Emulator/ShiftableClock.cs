namespace SfBackup.Emulator;

/// <summary>
/// The emulator's clock: another clock (the system's, or a test's) plus an offset that POST /$Emulator/Clock moves
/// forward, so that scripts in another process can make time pass (backups finish, partitions fall behind).
/// </summary>
public sealed class ShiftableClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    /// <summary>Moves time forward (never back: the state machines assume it only grows).</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw FabricErrorException.InvalidArgument("The emulator's clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
