using System.CommandLine;
using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep coordinator [SWEEP]`: a coordinator-role cluster node (hosts the coordinator singleton or stands by for it), with progress, ETA and finishing of the sweeps it watches.</summary>
public static class CoordinatorCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var node = new NodeCommandOptions();
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep to watch. Default: every sweep in the store (a restarted coordinator still reports failed units of finished sweeps).", Arity = ArgumentArity.ZeroOrOne };
        var untilDone = new Option<bool>("--until-done") { Description = "Exit when every watched sweep is complete: 0; 1 if units failed for good; 3 if the store lost results; 4 if cells were non-deterministic (docs/troubleshooting.md)." };
        var outDir = new Option<string?>("--out") { Description = "Write each finished sweep's exports to DIR/<sweep>." };
        var command = new Command("coordinator", "Run a coordinator node: the oldest one hosts the coordinator singleton, which hands out units and persists every hand-out and completion in the store's database; others stand by and take over when it dies. Logs progress, throughput and ETA and finishes the watched sweeps. Safe to kill and restart at any time.")
        {
            sweep, untilDone, outDir,
        };
        node.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var settings = node.LoadSettings(parse, error);
            var location = node.Store.Resolve(parse);
            string? exports = parse.GetValue(outDir) is { } requestedExports ? OutputFolder.EnsureWritable(requestedExports, "--out") : null;
            await using var log = node.CreateLogger(parse, settings, error);
            Serilog.Log.Logger = log;
            using var drain = new SignalDrain(error);
            await using var store = await StoreFactory.OpenAsync(location, migrate: true, ct).ConfigureAwait(false);
            string? requested = parse.GetValue(sweep);
            string[] sweeps = requested is not null
                ? [await SweepSelection.ResolveAsync(store, requested, ct).ConfigureAwait(false)]
                : (await store.ListSweepsAsync(ct).ConfigureAwait(false)).Select(s => s.Id).ToArray();
            if (sweeps.Length == 0)
            {
                log.Information("No sweep in {Store}; nothing to watch", location.Redacted);
                return ExitCodes.Success;
            }

            using var metrics = new NodeMetrics(SweepNode.CoordinatorRole);
            using var export = new MetricsExport(metrics);
            var formation = ClusterNodes.FormationFor(settings, parse.GetValue(node.Seeds) ?? [], store, isCoordinator: true, log);
            var finishedExports = new FinishedSweepExports(store, "csv", Sweeps.Exports.LossSelection.Both, log);
            int failed;
            while (true)
            {
                var (cluster, exitCode) = await ClusterNodes.StartAsync(ClusterNodes.Options(settings, location, store, formation, log, metrics) with { Coordinator = true }, drain, log, "The coordinator").ConfigureAwait(false);
                if (cluster is null)
                {
                    return exitCode;
                }

                bool removed;
                await using (cluster.ConfigureAwait(false))
                {
                    await using var health = await HealthServer.StartAsync(settings.HttpPort, HealthServer.ClusterReadiness(cluster), export, log).ConfigureAwait(false);
                    log.Information("Coordinator node {Address} watching {Sweeps} on {Store}", cluster.Cluster.SelfAddress, string.Join(", ", sweeps), location.Redacted);
                    var monitor = ProgressMonitorHandle.Start(cluster.System, new ProgressMonitorOptions(
                        store,
                        sweeps,
                        settings.ToClusterSettings(),
                        log.ForContext("NodeId", metrics.NodeId),
                        UntilDone: parse.GetValue(untilDone),
                        Metrics: metrics,
                        OnFinished: exports is null ? null : (id, progress, token) => finishedExports.WriteAsync(id, Path.Combine(exports, id), token)));
                    using var stopWatching = drain.Token.Register(monitor.Stop);
                    var first = await Task.WhenAny(monitor.Ended, cluster.Removed, cluster.Faulted).ConfigureAwait(false);
                    if (first == cluster.Faulted)
                    {
                        // The coordinator has logged why; a restart here or elsewhere would fail the same way.
                        await cluster.StopAsync().ConfigureAwait(false);
                        return ExitCodes.Failure;
                    }

                    removed = first != monitor.Ended && !drain.Requested;
                    failed = removed ? 0 : (await monitor.Ended.ConfigureAwait(false)).FailedUnits;
                    await cluster.StopAsync().ConfigureAwait(false);
                }

                if (!removed)
                {
                    break;
                }

                // Downed: by the split brain resolver after this node stopped answering (a long pause, a cut network),
                // or on the losing side of an even split, as when the only worker of a two-node cluster dies and had
                // the lower address. The journal keeps every decision, so coming back as a new member loses nothing;
                // the formation joins the coordinators still alive instead of founding a second cluster.
                log.Warning("This coordinator was removed from the cluster (downed); rejoining as a new member");
            }

            return parse.GetValue(untilDone) && !drain.Requested ? await UntilDoneExitCodeAsync(store, sweeps, failed, finishedExports, log, ct).ConfigureAwait(false)
                : failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// What a finished --until-done run tells its caller (a CI job, a Kubernetes Job): damage first, then failed units
    /// or unwritten exports, then non-determinism; each logged once.
    /// </summary>
    private static async Task<int> UntilDoneExitCodeAsync(Storage.ISweepStore store, IReadOnlyList<string> sweeps, int failedUnits, FinishedSweepExports exports, Serilog.ILogger log, CancellationToken cancellationToken)
    {
        if (exports.Failure is StoreDamagedException)
        {
            return ExitCodes.StoreDamaged;
        }

        int nonDeterministic = 0;
        foreach (string sweepId in sweeps)
        {
            try
            {
                var audit = await SweepAudits.CheckAsync(store, sweepId, cancellationToken).ConfigureAwait(false);
                if (audit.NonDeterministicCells > 0)
                {
                    nonDeterministic += audit.NonDeterministicCells;
                    log.Error("{Message}", SweepAudits.NonDeterminismMessage(audit));
                }
            }
            catch (StoreDamagedException e)
            {
                log.Error("{Message}", e.Message);
                return ExitCodes.StoreDamaged;
            }
        }

        return failedUnits > 0 || exports.Failure is not null ? ExitCodes.Failure
            : nonDeterministic > 0 ? ExitCodes.NonDeterministic
            : ExitCodes.Success;
    }
}
