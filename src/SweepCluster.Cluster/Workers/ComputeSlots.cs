using SweepCluster.Storage;

namespace SweepCluster.Cluster.Workers;

/// <summary>
/// A worker's compute slots: one dedicated thread per slot, fed by a queue of claimed units. A thread that
/// finishes a unit takes the next one itself, so neither a message round trip through the worker loop nor a
/// thread start sits between two units, and long computations never hold thread-pool threads the actor loops
/// and the store's I/O need. Units still queued can be taken back (a drain, a lost lease); a unit a thread
/// has taken runs to the end.
/// </summary>
public sealed class ComputeSlots : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<ClaimedUnit> _queued = new();
    private readonly Action<ClaimedUnit> _compute;
    private bool _closed;

    private ComputeSlots(Action<ClaimedUnit> compute) => _compute = compute;

    /// <summary>Starts the slot threads; <see cref="Dispose"/> lets them end.</summary>
    /// <param name="slots">Threads, i.e. units computed at once.</param>
    /// <param name="name">Thread name prefix (shows in dumps and profilers).</param>
    /// <param name="compute">Runs one unit on a slot thread; must not throw (it reports failures itself).</param>
    public static ComputeSlots Start(int slots, string name, Action<ClaimedUnit> compute)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentNullException.ThrowIfNull(compute);
        var pool = new ComputeSlots(compute);
        for (int i = 0; i < slots; i++)
        {
            // Background threads: a process that exits with a unit half computed loses nothing the lease does not cover.
            new Thread(pool.Run) { IsBackground = true, Name = $"{name}-slot-{i}" }.Start();
        }

        return pool;
    }

    /// <summary>Queues a unit; the first free slot computes it.</summary>
    public void Enqueue(ClaimedUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queued.AddLast(unit);
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Takes a queued unit back by its lease; false if a slot has already taken it (or it was never queued).</summary>
    public bool TryTakeBack(UnitLease lease)
    {
        lock (_gate)
        {
            for (var node = _queued.First; node is not null; node = node.Next)
            {
                if (node.Value.Lease == lease)
                {
                    _queued.Remove(node);
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Takes back every queued unit.</summary>
    public IReadOnlyList<ClaimedUnit> TakeBackAll()
    {
        lock (_gate)
        {
            var all = _queued.ToArray();
            _queued.Clear();
            return all;
        }
    }

    /// <summary>Lets the threads end: each finishes the unit it is computing and takes no other.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            ClaimedUnit unit;
            lock (_gate)
            {
                while (_queued.First is null && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                if (_closed)
                {
                    return;
                }

                unit = _queued.First!.Value;
                _queued.RemoveFirst();
            }

            _compute(unit);
        }
    }
}
