namespace SweepCluster.Cluster.Workers;

/// <summary>
/// How many units a worker holds beyond its busy slots. A fixed count suits units of seconds, but for units of
/// microseconds every slot would idle for a hand-out round trip after each few units and every unit would cost a
/// journal write and a store transaction of its own. So the count grows to cover <c>horizon</c> of the slots'
/// work, as the worker's own measured compute times say: units of a millisecond come by the hundred, units of a
/// second by the configured count. The cap bounds what one node can park while another idles at a sweep's end.
/// </summary>
public sealed class ClaimAhead
{
    /// <summary>The most units a worker holds ahead, however cheap they are.</summary>
    public const int Cap = 256;

    // Weight of the newest unit in the running mean: a few units are enough to follow a change of unit size.
    private const double Smoothing = 0.2;

    private readonly int _slots;
    private readonly int _floor;
    private readonly double _horizonSeconds;
    private double? _meanSeconds;

    public ClaimAhead(int slots, int floor, TimeSpan horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(floor);
        _slots = slots;
        _floor = Math.Min(floor, Cap);
        _horizonSeconds = Math.Max(0, horizon.TotalSeconds);
        Units = _floor;
    }

    /// <summary>Units to hold beyond the busy slots now: the configured count until a unit has been measured.</summary>
    public int Units { get; private set; }

    /// <summary>Whether the count is above the configured one because units are cheap.</summary>
    public bool Grown => Units > _floor;

    /// <summary>A unit took this long on a slot.</summary>
    public void Computed(double seconds)
    {
        double s = Math.Max(0, seconds);
        _meanSeconds = _meanSeconds is { } mean ? mean + (Smoothing * (s - mean)) : s;

        // A zero horizon keeps the configured count even for units too fast to time.
        double wanted = _horizonSeconds <= 0 ? 0 : _meanSeconds.Value <= 0 ? Cap : _horizonSeconds * _slots / _meanSeconds.Value;
        Units = (int)Math.Clamp(Math.Floor(wanted), _floor, Cap);
    }
}
