namespace SfBackup.Tests.Infrastructure;

/// <summary>A clock tests move by hand, so the emulator's backup state machine is tested without sleeping.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
