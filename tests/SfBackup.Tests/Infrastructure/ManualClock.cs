namespace SfBackup.Tests.Infrastructure;

/// <summary>A clock tests move by hand, so the emulator's state machines are tested without sleeping. It starts after the seeded backups (January 2026).</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
