using System.CommandLine;
using Serilog;
using SweepCluster.Cli.Configuration;
using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep worker`: a worker-role cluster node. Joins the cluster, pulls units from the coordinator, computes, commits; SIGTERM drains.</summary>
public static class WorkerCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var node = new NodeCommandOptions();
        var slots = new Option<int?>("--slots") { Description = $"Units computed at once, 1 to {SweepSettings.MaxSlots}. Default: the Slots setting (0 = one per core)." };
        var sweep = new Option<string?>("--sweep") { Description = "Work on this sweep only (it must be in the store already). Default: any sweep in the store." };
        var exitWhenIdle = new Option<bool>("--exit-when-idle") { Description = "Exit 0 once no unit is open or held anywhere in the cluster (for Kubernetes Jobs)." };
        var backend = Options.BackendOption.Create();
        var command = new Command("worker", "Run a worker node: join the cluster (seeds from --seed or from the coordinators published in the store), ask the coordinator for units, compute them, commit the results to the store. Any number may run at once, on any machines; SIGTERM finishes the units in flight, gives back the others and exits.")
        {
            slots, sweep, exitWhenIdle, backend,
        };
        node.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var settings = node.LoadSettings(parse, error);
            if (parse.GetValue(slots) is int s)
            {
                if (s is < 1 or > SweepSettings.MaxSlots)
                {
                    throw new CommandInputException($"--slots: {s} is out of range; give 1 to {SweepSettings.MaxSlots} units computed at once");
                }

                settings.Slots = s;
            }

            var location = node.Store.Resolve(parse);
            ILinearAlgebra algebra;
            try
            {
                algebra = LinearAlgebraBackends.Create(parse.GetValue(backend)!);
            }
            catch (InvalidOperationException e)
            {
                // The environment lacks the library (not the user's input): exit code 1.
                throw new EnvironmentFailureException($"--backend: {e.Message}", e);
            }

            await using var log = node.CreateLogger(parse, settings, error);
            Log.Logger = log;
            using var drain = new SignalDrain(error);
            await using var store = await StoreFactory.OpenAsync(location, migrate: true, ct).ConfigureAwait(false);
            using var metrics = new NodeMetrics(SweepNode.WorkerRole);
            using var export = new MetricsExport(metrics);
            int unitsDone = 0;
            var computers = (Func<SpectrumCache, IUnitComputer>)(spectra => new UnitComputer(algebra, spectra.Get));
            if (parse.GetValue(sweep) is { } requested)
            {
                // A mistyped name would otherwise leave the worker waiting for work that never comes.
                await SweepSelection.ResolveAsync(store, requested, ct).ConfigureAwait(false);
            }

            var formation = ClusterNodes.FormationFor(settings, parse.GetValue(node.Seeds) ?? [], store, isCoordinator: false, log);
            log.Information("Worker on {Store} with {Slots} slots, backend {Backend}", location.Redacted, settings.EffectiveSlots, algebra.Name);
            while (true)
            {
                if (parse.GetValue(exitWhenIdle) && await StoreWork.NothingLeftAsync(store, parse.GetValue(sweep), ct).ConfigureAwait(false))
                {
                    // Checked before joining: with every sweep finished no coordinator may be left to join.
                    log.Information("Every unit in the store is done or failed; exiting as asked (--exit-when-idle)");
                    output.WriteLine($"worker: {unitsDone} units computed");
                    return ExitCodes.Success;
                }

                // A fresh identity per membership: a node removed from the cluster can only come back as a new one.
                var options = new WorkerOptions(WorkerOptions.NewNodeId("worker"), settings.EffectiveSlots, parse.GetValue(sweep), parse.GetValue(exitWhenIdle));
                var worker = new WorkerSetup(options, computers);
                var (cluster, exitCode) = await ClusterNodes.StartAsync(ClusterNodes.Options(settings, location, store, formation, log, metrics) with { Worker = worker }, drain, log, $"Worker {options.NodeId}").ConfigureAwait(false);
                if (cluster is null)
                {
                    return exitCode;
                }

                bool removed;
                await using (cluster.ConfigureAwait(false))
                {
                    await using var health = await HealthServer.StartAsync(settings.HttpPort, HealthServer.ClusterReadiness(cluster), export, log).ConfigureAwait(false);
                    var drained = Task.Delay(Timeout.Infinite, drain.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    var ended = await Task.WhenAny(worker.Lifecycle.IdleTask, drained, cluster.Removed, cluster.Faulted).ConfigureAwait(false);
                    if (ended == cluster.Faulted)
                    {
                        // Logged where it happened; the units this node held go back to the others when it leaves.
                        await cluster.StopAsync().ConfigureAwait(false);
                        return ExitCodes.Failure;
                    }

                    removed = ended == cluster.Removed && !drain.Requested;
                    await cluster.StopAsync().ConfigureAwait(false);
                }

                unitsDone += worker.Lifecycle.UnitsDone;
                if (!removed)
                {
                    output.WriteLine($"worker {options.NodeId}: {unitsDone} units computed");
                    break;
                }

                // Downed after it stopped answering (a long pause, a network split): the coordinator has given its
                // units to others already; anything it still commits is compared with theirs, never trusted.
                log.Warning("Worker {NodeId} was removed from the cluster (downed after it stopped answering); rejoining as a new member", options.NodeId);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
