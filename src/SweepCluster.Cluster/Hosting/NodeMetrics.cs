using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// The instruments of one process (System.Diagnostics.Metrics), written by its actors and slot threads; an exporter
/// (the /metrics endpoint) listens to <see cref="Meter"/>. Every measurement is tagged with the process's role and
/// current node id, and with the sweep wherever it is about one. Instrument names follow the OpenTelemetry style;
/// the exporter derives the Prometheus names (dots to underscores, a unit suffix, _total for counters).
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "SweepCluster";

    // Compute times range from milliseconds (theory units) to hours (large simulations).
    private static readonly double[] SecondsBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Counter<long> _unitsCompleted;
    private readonly Counter<long> _cellsDone;
    private readonly Counter<long> _cellsFailed;
    private readonly Counter<long> _unitsCrashed;
    private readonly Counter<long> _unitsAcknowledged;
    private readonly Histogram<double> _handOut;
    private readonly Histogram<double> _unitDuration;
    private readonly Histogram<double> _queueWait;
    private readonly ConcurrentDictionary<string, SweepGauges> _sweeps = new(StringComparer.Ordinal);
    private long _unitsCompletedSoFar;
    private long _cellsCompletedSoFar;
    private long _computing;
    private long _held;
    private long _membersUp;
    private long _membersUnreachable;
    private long _coordinatorsUp;
    private string _nodeId;

    /// <param name="role">The process's kind: worker, coordinator or run (a label on every series).</param>
    public NodeMetrics(string role = "node")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        Role = role;
        _nodeId = role;
        Meter = new Meter(MeterName);
        _unitsCompleted = Meter.CreateCounter<long>("sweep.units.completed", "{unit}", "Units this process computed and committed.");
        _cellsDone = Meter.CreateCounter<long>("sweep.cells.done", "{cell}", "Cells this process computed and committed, failed ones included.");
        _cellsFailed = Meter.CreateCounter<long>("sweep.cells.failed", "{cell}", "Cells whose numerics failed (stored with status NumericalFailure).");
        _unitsCrashed = Meter.CreateCounter<long>("sweep.units.crashed", "{unit}", "Units whose computation threw or could not be loaded or stored, given back for a retry.");
        _unitsAcknowledged = Meter.CreateCounter<long>("sweep.units.acknowledged", "{unit}", "Units whose completion the coordinator acknowledged to this worker.");
        _handOut = Meter.CreateHistogram("sweep.handout.duration", "s", "Seconds from a request for units to the coordinator's answer.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _unitDuration = Meter.CreateHistogram("sweep.unit.duration", "s", "Seconds one unit took to compute on a slot.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _queueWait = Meter.CreateHistogram("sweep.unit.queue_wait", "s", "Seconds from a unit's hand-out to the start of its computation (loading, claim-ahead queue).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        Meter.CreateObservableGauge("sweep.units.computing", () => Node(Interlocked.Read(ref _computing)), "{unit}", "Units on a compute slot now.");
        Meter.CreateObservableGauge("sweep.units.held", () => Node(Interlocked.Read(ref _held)), "{unit}", "Units handed to this worker and not yet settled: computing, claimed ahead, or awaiting commit or acknowledgement.");
        Meter.CreateObservableGauge("sweep.cluster.members_up", () => Node(Interlocked.Read(ref _membersUp)), "{member}", "Members of the Akka cluster with status Up, as this node sees them.");
        Meter.CreateObservableGauge("sweep.cluster.members_unreachable", () => Node(Interlocked.Read(ref _membersUnreachable)), "{member}", "Members this node's failure detector finds unreachable.");
        Meter.CreateObservableGauge("sweep.cluster.coordinators_up", () => Node(Interlocked.Read(ref _coordinatorsUp)), "{member}", "Up members with the coordinator role (0: no singleton can run).");
        Meter.CreateObservableGauge("sweep.sweep.cells_done", () => PerSweep(s => s.CellsDone), "{cell}", "Cells with results in a watched sweep (coordinator).");
        Meter.CreateObservableGauge("sweep.sweep.cells_total", () => PerSweep(s => s.CellsTotal), "{cell}", "Cells in a watched sweep (coordinator).");
        Meter.CreateObservableGauge("sweep.sweep.units_failed", () => PerSweep(s => s.UnitsFailed), "{unit}", "Units of a watched sweep failed for good (coordinator).");
        Meter.CreateObservableGauge("sweep.sweep.units_in_flight", () => PerSweep(s => s.UnitsInFlight), "{unit}", "Units of a watched sweep handed out and not yet reported (coordinator).");
    }

    /// <summary>The instruments' meter: what an exporter listens to.</summary>
    public Meter Meter { get; }

    public string Role { get; }

    /// <summary>The node id of the current membership (a worker takes a fresh one when it rejoins); the node label.</summary>
    public string NodeId
    {
        get => Volatile.Read(ref _nodeId);
        set => Volatile.Write(ref _nodeId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// Called on the worker's thread with each answered request for units (its latency and the units it brought);
    /// lets a benchmark or a test see the distribution.
    /// </summary>
    public Action<TimeSpan, int>? HandOutObserver { get; set; }

    /// <summary>Called on the worker's thread with the number of units whose completion the coordinator just acknowledged.</summary>
    public Action<int>? AcknowledgedObserver { get; set; }

    public long UnitsCompleted => Interlocked.Read(ref _unitsCompletedSoFar);

    public long CellsCompleted => Interlocked.Read(ref _cellsCompletedSoFar);

    /// <summary>A unit's results were committed: its cells, of which <paramref name="failedCells"/> failed numerically.</summary>
    public void UnitCompleted(string sweepId, int cells, int failedCells)
    {
        var tags = Tags(sweepId);
        Interlocked.Increment(ref _unitsCompletedSoFar);
        Interlocked.Add(ref _cellsCompletedSoFar, cells);
        _unitsCompleted.Add(1, tags);
        _cellsDone.Add(cells, tags);
        // Recorded even when zero: the series exists (at 0) from the first unit on, so that rate() and alerts see it.
        _cellsFailed.Add(failedCells, tags);
    }

    public void UnitCrashed(string sweepId) => _unitsCrashed.Add(1, Tags(sweepId));

    /// <summary>A slot took a unit; <paramref name="queueWait"/> is the time since the worker received it.</summary>
    public void ComputeStarted(string sweepId, TimeSpan queueWait)
    {
        Interlocked.Increment(ref _computing);
        _queueWait.Record(queueWait.TotalSeconds, Tags(sweepId));
    }

    /// <summary>A slot finished a unit (computed or thrown).</summary>
    public void ComputeEnded(string sweepId, TimeSpan duration)
    {
        Interlocked.Decrement(ref _computing);
        _unitDuration.Record(duration.TotalSeconds, Tags(sweepId));
    }

    /// <summary>A request for units was answered: from RequestUnits sent to UnitsHandedOutReply received.</summary>
    public void HandOutAnswered(TimeSpan latency, int units)
    {
        _handOut.Record(latency.TotalSeconds, NodeTags());
        HandOutObserver?.Invoke(latency, units);
    }

    /// <summary>The coordinator acknowledged (persisted) the completion of units this worker reported.</summary>
    public void UnitsAcknowledged(int units)
    {
        _unitsAcknowledged.Add(units, NodeTags());
        AcknowledgedObserver?.Invoke(units);
    }

    public void SetHeld(int units) => Interlocked.Exchange(ref _held, units);

    /// <summary>The coordinator's view of one sweep it watches.</summary>
    public void SetSweepProgress(string sweepId, int cellsDone, int cellsTotal, int unitsFailed, int unitsInFlight) =>
        _sweeps[sweepId] = new SweepGauges(cellsDone, cellsTotal, unitsFailed, unitsInFlight);

    /// <summary>This node's view of the cluster's membership.</summary>
    public void SetMembership(int membersUp, int unreachable, int coordinatorsUp)
    {
        Interlocked.Exchange(ref _membersUp, membersUp);
        Interlocked.Exchange(ref _membersUnreachable, unreachable);
        Interlocked.Exchange(ref _coordinatorsUp, coordinatorsUp);
    }

    public void Dispose() => Meter.Dispose();

    private TagList NodeTags() => new() { { "role", Role }, { "node", NodeId } };

    private TagList Tags(string sweepId) => new() { { "sweep", sweepId }, { "role", Role }, { "node", NodeId } };

    private Measurement<long> Node(long value) => new(value, NodeTags());

    private Measurement<long>[] PerSweep(Func<SweepGauges, int> value) =>
        _sweeps.Select(s => new Measurement<long>(value(s.Value), Tags(s.Key))).ToArray();

    private sealed record SweepGauges(int CellsDone, int CellsTotal, int UnitsFailed, int UnitsInFlight);
}
