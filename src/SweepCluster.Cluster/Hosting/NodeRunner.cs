using Serilog;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Protocol;
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
    /// Embedded mode: a one-node Akka cluster with both roles in this process (the coordinator singleton with its
    /// journal in the store's database, and a worker), plus a progress monitor on the store that finishes the
    /// sweep. Returns when the sweep completed, or when drained first.
    /// </summary>
    public static async Task<EmbeddedRunResult> RunEmbeddedAsync(
        ISweepStore store,
        string sweepId,
        JournalConnection journal,
        Func<SpectrumCache, IUnitComputer> computers,
        WorkerOptions options,
        ClusterSettings settings,
        ILogger log,
        IProgressObserver? observer,
        Func<string, SweepProgress, CancellationToken, Task>? onFinished,
        CancellationToken drain)
    {
        ArgumentNullException.ThrowIfNull(log);
        var worker = new WorkerSetup(options with { SweepId = sweepId, ExitWhenIdle = true }, computers);
        bool completed = false;
        var monitor = new CoordinatorActor(store, [sweepId], settings, log, observer, async (id, progress, ct) =>
        {
            completed = true;
            if (onFinished is not null)
            {
                await onFinished(id, progress, ct).ConfigureAwait(false);
            }
        }, untilDone: true);
        SweepNode? started = null;
        using var registration = drain.Register(() =>
        {
            // The worker stops asking at once; the monitor's end then leaves the cluster, which finishes the drain.
            Volatile.Read(ref started)?.WorkerActor?.Tell(DrainWorker.Instance, Akka.Actor.ActorRefs.NoSender);
            monitor.Tell(StopCoordinator.Instance);
        });
        var monitorTask = monitor.RunAsync(CancellationToken.None);

        var node = await SweepNode.StartAsync(new SweepNodeOptions
        {
            Store = store,
            Journal = journal,
            Formation = new SelfFormation(),
            Settings = settings,
            Log = log,
            Coordinator = true,
            Worker = worker,
        }, CancellationToken.None).ConfigureAwait(false);
        Volatile.Write(ref started, node);
        if (drain.IsCancellationRequested)
        {
            node.WorkerActor?.Tell(DrainWorker.Instance, Akka.Actor.ActorRefs.NoSender);
        }

        await using (node.ConfigureAwait(false))
        {
            node.Coordinator.Tell(new WatchSweep(sweepId), Akka.Actor.ActorRefs.NoSender);

            // The monitor notices completion only at its next look; a worker that ran dry asks it to look now.
            _ = worker.Lifecycle.IdleTask.ContinueWith(_ => monitor.Tell(AggregateProgress.Instance), TaskScheduler.Default);
            await monitorTask.ConfigureAwait(false);
            await node.StopAsync().ConfigureAwait(false);
        }

        return new EmbeddedRunResult(completed, worker.Lifecycle.UnitsDone, monitor.FailedUnits);
    }
}
