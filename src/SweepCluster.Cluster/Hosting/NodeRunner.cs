using Serilog;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Starts the actors of one process and ties their lifetimes together: a worker (with its result writer),
/// a coordinator, or both (the embedded mode of `sweep run`). A drain request (SIGINT/SIGTERM) stops new
/// claims and lets in-flight units finish and commit.
/// </summary>
public static class NodeRunner
{
    /// <summary>Runs a worker until it drains (on request or, with ExitWhenIdle, when no work remains).</summary>
    public static async Task<int> RunWorkerAsync(ISweepStore store, Func<SpectrumCache, IUnitComputer> computers, WorkerOptions options, ClusterSettings settings, ILogger log, CancellationToken drain, NodeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var writer = new ResultWriterActor(store, settings, log);
        var worker = new WorkerActor(store, computers, writer, options, settings, log, metrics);
        using var registration = drain.Register(() => worker.Tell(DrainWorker.Instance));
        var writerTask = writer.RunAsync(CancellationToken.None);
        await worker.RunAsync(CancellationToken.None).ConfigureAwait(false);
        await writerTask.ConfigureAwait(false);
        return worker.UnitsDone;
    }

    /// <summary>
    /// A coordinator process: watches the sweeps until drained or, with <paramref name="untilDone"/>, until
    /// every one is complete. Returns the number of units failed for good.
    /// </summary>
    public static async Task<int> RunCoordinatorAsync(ISweepStore store, IReadOnlyList<string> sweepIds, ClusterSettings settings, ILogger log, bool untilDone, CancellationToken drain, NodeMetrics? metrics = null, Func<string, SweepProgress, CancellationToken, Task>? onFinished = null)
    {
        var coordinator = new CoordinatorActor(store, sweepIds, settings, log, null, onFinished, untilDone, metrics);
        using var registration = drain.Register(() => coordinator.Tell(StopCoordinator.Instance));
        await coordinator.RunAsync(CancellationToken.None).ConfigureAwait(false);
        return coordinator.FailedUnits;
    }

    /// <summary>
    /// Embedded mode: a coordinator watching <paramref name="sweepId"/> and a worker computing it, in this
    /// process. Returns true when the sweep completed, false when it was drained first.
    /// </summary>
    public static async Task<EmbeddedRunResult> RunEmbeddedAsync(
        ISweepStore store,
        string sweepId,
        Func<SpectrumCache, IUnitComputer> computers,
        WorkerOptions options,
        ClusterSettings settings,
        ILogger log,
        IProgressObserver? observer,
        Func<string, SweepProgress, CancellationToken, Task>? onFinished,
        CancellationToken drain)
    {
        ArgumentNullException.ThrowIfNull(log);
        var writer = new ResultWriterActor(store, settings, log);
        // The worker stops by itself when the sweep has nothing left, so the run ends without waiting for a progress tick.
        var worker = new WorkerActor(store, computers, writer, options with { SweepId = sweepId, ExitWhenIdle = true }, settings, log);
        bool completed = false;
        var coordinator = new CoordinatorActor(store, [sweepId], settings, log, observer, async (id, progress, ct) =>
        {
            completed = true;
            worker.Tell(DrainWorker.Instance);
            if (onFinished is not null)
            {
                await onFinished(id, progress, ct).ConfigureAwait(false);
            }
        }, untilDone: true);

        using var registration = drain.Register(() =>
        {
            worker.Tell(DrainWorker.Instance);
            coordinator.Tell(StopCoordinator.Instance);
        });

        var writerTask = writer.RunAsync(CancellationToken.None);
        var workerTask = worker.RunAsync(CancellationToken.None);
        var coordinatorTask = coordinator.RunAsync(CancellationToken.None);

        // The coordinator notices completion only at its next look; a worker that ran dry asks it to look now.
        await workerTask.ConfigureAwait(false);
        coordinator.Tell(AggregateProgress.Instance);
        if (drain.IsCancellationRequested)
        {
            coordinator.Tell(StopCoordinator.Instance);
        }

        await coordinatorTask.ConfigureAwait(false);
        await writerTask.ConfigureAwait(false);
        return new EmbeddedRunResult(completed, worker.UnitsDone, coordinator.FailedUnits);
    }
}
