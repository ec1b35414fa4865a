using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Counters of one process, written by its actors and read by /metrics (Prometheus text format).
/// Counters only grow; gauges are the latest value seen.
/// </summary>
public sealed class NodeMetrics
{
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private long _unitsCompleted;
    private long _cellsCompleted;
    private long _cellsFailed;
    private long _unitsCrashed;
    private long _inFlight;
    private long _sweepCellsDone;
    private long _sweepCellsTotal;
    private long _sweepUnitsFailed;
    private long _sweepUnitsInFlight;
    private long _handOuts;
    private long _handOutTicks;
    private long _unitsAcknowledged;
    private long _membersUp;
    private long _membersUnreachable;
    private long _coordinatorsUp;

    /// <summary>
    /// Called on the worker's thread with each answered request for units (its latency and the units it brought);
    /// lets a benchmark or a test see the distribution, which the counters below only average.
    /// </summary>
    public Action<TimeSpan, int>? HandOutObserver { get; set; }

    /// <summary>Called on the worker's thread with the number of units whose completion the coordinator just acknowledged.</summary>
    public Action<int>? AcknowledgedObserver { get; set; }

    public void UnitCompleted(int cells, int failedCells)
    {
        Interlocked.Increment(ref _unitsCompleted);
        Interlocked.Add(ref _cellsCompleted, cells);
        Interlocked.Add(ref _cellsFailed, failedCells);
    }

    public void UnitCrashed() => Interlocked.Increment(ref _unitsCrashed);

    /// <summary>A request for units was answered: from RequestUnits sent to UnitsHandedOutReply received.</summary>
    public void HandOutAnswered(TimeSpan latency, int units)
    {
        Interlocked.Increment(ref _handOuts);
        Interlocked.Add(ref _handOutTicks, latency.Ticks);
        HandOutObserver?.Invoke(latency, units);
    }

    /// <summary>The coordinator acknowledged (persisted) the completion of units this worker reported.</summary>
    public void UnitsAcknowledged(int units)
    {
        Interlocked.Add(ref _unitsAcknowledged, units);
        AcknowledgedObserver?.Invoke(units);
    }

    public void SetInFlight(int units) => Interlocked.Exchange(ref _inFlight, units);

    /// <summary>The coordinator's view of the sweeps it watches.</summary>
    public void SetSweepProgress(int cellsDone, int cellsTotal, int unitsFailed, int unitsInFlight)
    {
        Interlocked.Exchange(ref _sweepCellsDone, cellsDone);
        Interlocked.Exchange(ref _sweepCellsTotal, cellsTotal);
        Interlocked.Exchange(ref _sweepUnitsFailed, unitsFailed);
        Interlocked.Exchange(ref _sweepUnitsInFlight, unitsInFlight);
    }

    /// <summary>This node's view of the cluster's membership.</summary>
    public void SetMembership(int membersUp, int unreachable, int coordinatorsUp)
    {
        Interlocked.Exchange(ref _membersUp, membersUp);
        Interlocked.Exchange(ref _membersUnreachable, unreachable);
        Interlocked.Exchange(ref _coordinatorsUp, coordinatorsUp);
    }

    public long UnitsCompleted => Interlocked.Read(ref _unitsCompleted);

    public long CellsCompleted => Interlocked.Read(ref _cellsCompleted);

    public string ToPrometheusText()
    {
        var b = new StringBuilder();
        double up = Math.Max(_uptime.Elapsed.TotalSeconds, 1e-3);
        void Metric(string name, string type, string help, double value)
        {
            b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            b.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            b.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("sweep_units_completed_total", "counter", "Units this process computed and committed.", Interlocked.Read(ref _unitsCompleted));
        Metric("sweep_cells_done_total", "counter", "Cells this process computed and committed.", Interlocked.Read(ref _cellsCompleted));
        Metric("sweep_cells_failed_total", "counter", "Cells whose numerics failed (stored with a status).", Interlocked.Read(ref _cellsFailed));
        Metric("sweep_units_crashed_total", "counter", "Units whose computation threw and was released for a retry.", Interlocked.Read(ref _unitsCrashed));
        Metric("sweep_units_acknowledged_total", "counter", "Units whose completion the coordinator acknowledged to this worker.", Interlocked.Read(ref _unitsAcknowledged));
        Metric("sweep_handout_requests_total", "counter", "Requests for units the coordinator answered.", Interlocked.Read(ref _handOuts));
        Metric("sweep_handout_seconds_total", "counter", "Seconds from request to hand-out, summed over answered requests.", TimeSpan.FromTicks(Interlocked.Read(ref _handOutTicks)).TotalSeconds);
        Metric("sweep_units_in_flight", "gauge", "Units this worker is computing now.", Interlocked.Read(ref _inFlight));
        Metric("sweep_units_per_second", "gauge", "Units completed per second since the process started.", Interlocked.Read(ref _unitsCompleted) / up);
        Metric("sweep_sweep_cells_done", "gauge", "Cells with results in the watched sweeps (coordinator).", Interlocked.Read(ref _sweepCellsDone));
        Metric("sweep_sweep_cells_total", "gauge", "Cells in the watched sweeps (coordinator).", Interlocked.Read(ref _sweepCellsTotal));
        Metric("sweep_sweep_units_failed", "gauge", "Units failed for good in the watched sweeps (coordinator).", Interlocked.Read(ref _sweepUnitsFailed));
        Metric("sweep_sweep_units_in_flight", "gauge", "Units handed out and not yet reported in the watched sweeps (coordinator).", Interlocked.Read(ref _sweepUnitsInFlight));
        Metric("sweep_cluster_members_up", "gauge", "Members of the Akka cluster with status Up, as this node sees them.", Interlocked.Read(ref _membersUp));
        Metric("sweep_cluster_members_unreachable", "gauge", "Members this node's failure detector finds unreachable.", Interlocked.Read(ref _membersUnreachable));
        Metric("sweep_cluster_coordinators_up", "gauge", "Up members with the coordinator role (0: no singleton can run).", Interlocked.Read(ref _coordinatorsUp));
        Metric("sweep_process_uptime_seconds", "gauge", "Seconds since the process started.", up);
        return b.ToString();
    }
}
