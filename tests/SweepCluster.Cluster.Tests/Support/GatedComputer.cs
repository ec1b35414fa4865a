using System.Collections.Concurrent;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Tests.Support;

/// <summary>
/// A compute slot the test holds: <see cref="Compute"/> records its cells as started, waits until the test lets
/// one unit through (<see cref="Let"/>) or opens the gate for good (<see cref="Open"/>), then records the cells as
/// computed and returns an ok result per cell. One instance serves every slot (and every worker) of a test.
/// </summary>
public sealed class GatedComputer : IUnitComputer, IDisposable
{
    /// <summary>A unit never let through fails instead of holding a thread pool thread for ever.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _permits = new(0);
    private readonly ConcurrentQueue<string> _started = new();
    private readonly ConcurrentQueue<string> _computed = new();
    private int _unitsStarted;
    private int _open;

    public GatedComputer(bool open = false) => _open = open ? 1 : 0;

    /// <summary>Calls of <see cref="Compute"/> so far, whether or not they were let through.</summary>
    public int UnitsStarted => Volatile.Read(ref _unitsStarted);

    /// <summary>Cells of every unit that started, once per start.</summary>
    public IReadOnlyList<string> StartedCells => [.. _started];

    /// <summary>Cells of every unit that was let through and returned its results, once per computation.</summary>
    public IReadOnlyList<string> ComputedCells => [.. _computed];

    /// <summary>Lets <paramref name="units"/> waiting (or future) units through.</summary>
    public void Let(int units) => _permits.Release(units);

    /// <summary>Lets every unit through from now on.</summary>
    public void Open()
    {
        if (Interlocked.Exchange(ref _open, 1) == 0)
        {
            // Wakes whoever checked the flag just before it changed; later calls do not wait at all.
            _permits.Release(1 << 20);
        }
    }

    public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var cell in cells)
        {
            _started.Enqueue(cell.Id);
        }

        Interlocked.Increment(ref _unitsStarted);
        if (Volatile.Read(ref _open) == 0 && !_permits.Wait(MaxWait))
        {
            throw new TimeoutException("the test never let this unit through");
        }

        foreach (var cell in cells)
        {
            _computed.Enqueue(cell.Id);
        }

        return cells.Select(c => new TimedOutcome(new CellOutcome(c.Id, ResultStatus.Ok, Metrics(), null), 0.001)).ToArray();
    }

    public void Dispose() => _permits.Dispose();

    private static CellMetrics Metrics()
    {
        var metrics = new CellMetrics();
        metrics.SetScalar("loss", 1.0);
        return metrics;
    }
}
