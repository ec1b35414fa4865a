namespace SweepCluster.Cluster.Workers;

/// <summary>
/// What the worker actor tells its process, thread-safely: registered (for /readyz), units done, and the
/// moments the process waits for (idle with --exit-when-idle, drained, stopped).
/// </summary>
public sealed class WorkerLifecycle
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _registered;
    private int _unitsDone;

    /// <summary>The coordinator has acknowledged this worker's registration.</summary>
    public bool Registered
    {
        get => _registered;
        internal set => _registered = value;
    }

    /// <summary>Units this worker computed and committed.</summary>
    public int UnitsDone
    {
        get => Volatile.Read(ref _unitsDone);
        internal set => Volatile.Write(ref _unitsDone, value);
    }

    /// <summary>Completes when nothing is open or held anywhere and the worker was asked to exit when idle.</summary>
    public Task IdleTask => _idle.Task;

    /// <summary>Completes when a drain has given back or finished every unit this worker held.</summary>
    public Task DrainedTask => _drained.Task;

    /// <summary>Completes with the units done when the worker actor has stopped.</summary>
    public Task<int> StoppedTask => _stopped.Task;

    /// <summary>True the first time: the worker keeps answering ticks while the process finishes, and says so once.</summary>
    internal bool Idle() => _idle.TrySetResult();

    internal void Drained() => _drained.TrySetResult();

    internal void Stopped(int unitsDone) => _stopped.TrySetResult(unitsDone);
}
