using Serilog;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Progress;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// `sweep run`: one process that is the whole cluster. A drain request (SIGINT/SIGTERM) stops new requests for
/// work and lets in-flight units finish and commit.
/// </summary>
public static class EmbeddedRun
{
    /// <summary>
    /// Embedded mode: a one-node Akka cluster with both roles in this process (the coordinator singleton with its
    /// journal in the store's database, and a worker), plus a progress monitor on the store that finishes the
    /// sweep. Returns when the sweep completed, or when drained first.
    /// </summary>
    public static async Task<EmbeddedRunResult> RunAsync(
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
        SweepNode? started = null;
        ProgressMonitorHandle? monitor = null;
        using var registration = drain.Register(() =>
        {
            // The worker stops asking at once; the monitor's end then leaves the cluster, which finishes the drain.
            Volatile.Read(ref started)?.WorkerActor?.Tell(DrainWorker.Instance, Akka.Actor.ActorRefs.NoSender);
            Volatile.Read(ref monitor)?.Stop();
        });

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
        ProgressMonitorResult ended;
        await using (node.ConfigureAwait(false))
        {
            var watching = ProgressMonitorHandle.Start(node.System, new ProgressMonitorOptions(store, [sweepId], settings, log.ForContext("NodeId", worker.Options.NodeId), observer, onFinished, UntilDone: true));
            Volatile.Write(ref monitor, watching);
            if (drain.IsCancellationRequested)
            {
                node.WorkerActor?.Tell(DrainWorker.Instance, Akka.Actor.ActorRefs.NoSender);
                watching.Stop();
            }

            node.Coordinator.Tell(new WatchSweep(sweepId), Akka.Actor.ActorRefs.NoSender);

            // The monitor notices completion only at its next look; a worker that ran dry asks it to look now.
            _ = worker.Lifecycle.IdleTask.ContinueWith(_ => watching.LookNow(), TaskScheduler.Default);
            if (await Task.WhenAny(watching.Ended, node.Faulted).ConfigureAwait(false) != watching.Ended)
            {
                string reason = await node.Faulted.ConfigureAwait(false);
                await node.StopAsync().ConfigureAwait(false);
                return new EmbeddedRunResult(false, worker.Lifecycle.UnitsDone, 0, reason);
            }

            ended = await watching.Ended.ConfigureAwait(false);
            await node.StopAsync().ConfigureAwait(false);
        }

        return new EmbeddedRunResult(ended.Completed, worker.Lifecycle.UnitsDone, ended.FailedUnits);
    }
}
