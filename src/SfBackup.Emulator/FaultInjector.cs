namespace SfBackup.Emulator;

/// <summary>
/// Draws, for each BRS request, whether it gets one of the faults in <see cref="EmulatorOptions.Faults"/>. The
/// settings can be replaced while the emulator runs (POST /$Emulator/Faults).
/// </summary>
public sealed class FaultInjector
{
    /// <summary>The transient answers a cluster gives, with the statuses FabricError.ErrorCodeToHttpStatusCode gives their codes.</summary>
    public static readonly (int Status, string Code)[] TransientAnswers =
    [
        (503, "FABRIC_E_NOT_READY"), (503, "FABRIC_E_RECONFIGURATION_PENDING"), (503, "FABRIC_E_NO_WRITE_QUORUM"), (504, "FABRIC_E_TIMEOUT"),
    ];

    private readonly object _gate = new();
    private readonly Queue<string> _next = new();
    private EmulatorFaults _settings;
    private Random _random;

    public FaultInjector(EmulatorOptions options)
    {
        _settings = options.Faults;
        _random = options.Faults.Seed is { } seed ? new Random(seed) : new Random();
    }

    public EmulatorFaults Settings
    {
        get { lock (_gate) return _settings; }
    }

    public void Replace(EmulatorFaults settings)
    {
        foreach (var (name, fraction) in settings.Fractions)
        {
            if (fraction is < 0 or > 1 || double.IsNaN(fraction))
                throw FabricErrorException.InvalidArgument($"Faults:{name} must be a fraction from 0 to 1, not {fraction}.");
        }
        lock (_gate)
        {
            _settings = settings;
            _random = settings.Seed is { } seed ? new Random(seed) : new Random();
        }
    }

    /// <summary>The next requests get these faults, in order ("" or "None" for a normal answer), before any drawing.</summary>
    public void ForceNext(IEnumerable<string> faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                if (fault is not ("" or "None") && _settings.Fractions.All(f => f.Name != fault))
                    throw FabricErrorException.InvalidArgument($"'{fault}' is not a fault: {string.Join(", ", _settings.Fractions.Select(f => f.Name))} or None.");
                _next.Enqueue(fault);
            }
        }
    }

    /// <summary>The fault this request gets, by name, or null for a normal answer.</summary>
    public string? Draw()
    {
        lock (_gate)
        {
            if (_next.TryDequeue(out var forced)) return forced is "" or "None" ? null : forced;
            var draw = _random.NextDouble();
            foreach (var (name, fraction) in _settings.Fractions)
            {
                if (draw < fraction) return name;
                draw -= fraction;
            }
            return null;
        }
    }

    public (int Status, string Code) TransientAnswer()
    {
        lock (_gate) return TransientAnswers[_random.Next(TransientAnswers.Length)];
    }
}
