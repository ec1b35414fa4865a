using System.CommandLine;
using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep worker`: a cluster worker node. Registers, heartbeats, claims units, computes, commits; SIGTERM drains.</summary>
public static class WorkerCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var node = new NodeCommandOptions();
        var slots = new Option<int?>("--slots") { Description = "Units computed at once. Default: the Slots setting (0 = one per core)." };
        var sweep = new Option<string?>("--sweep") { Description = "Work on this sweep only. Default: any sweep in the store." };
        var exitWhenIdle = new Option<bool>("--exit-when-idle") { Description = "Exit 0 once no pending or leased unit remains (for Kubernetes Jobs)." };
        var backend = new Option<string>("--backend") { Description = "Linear algebra backend: auto, openblas, lapack-reference or managed.", DefaultValueFactory = _ => "auto" };
        var command = new Command("worker", "Run a worker node against a shared store: claim units, compute them, commit the results. Any number may run at once, on any machines; SIGTERM finishes the units in flight and exits.")
        {
            slots, sweep, exitWhenIdle, backend,
        };
        node.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var settings = node.LoadSettings(parse);
            if (parse.GetValue(slots) is int s)
            {
                if (s < 1)
                {
                    throw new CommandInputException($"--slots: must be at least 1, got {s}");
                }

                settings.Slots = s;
            }

            var location = node.Store.Resolve(parse);
            ILinearAlgebra algebra;
            try
            {
                algebra = LinearAlgebraBackends.Create(parse.GetValue(backend)!);
            }
            catch (ArgumentException e)
            {
                throw new CommandInputException($"--backend: {e.Message}");
            }

            await using var log = node.CreateLogger(parse, settings, error);
            using var drain = new SignalDrain(error);
            await using var store = await StoreFactory.OpenAsync(location, migrate: true, ct).ConfigureAwait(false);
            var metrics = new NodeMetrics();
            await using var health = await HealthServer.StartAsync(settings.HttpPort, store, metrics, log).ConfigureAwait(false);
            var options = new WorkerOptions(WorkerOptions.NewNodeId("worker"), settings.EffectiveSlots, parse.GetValue(sweep), parse.GetValue(exitWhenIdle));
            log.Information("Worker on {Store} with {Slots} slots, backend {Backend}", location.Redacted, options.Slots, algebra.Name);
            int units = await NodeRunner.RunWorkerAsync(store, _ => new UnitComputer(algebra, _.Get), options, settings.ToClusterSettings(), log, drain.Token, metrics).ConfigureAwait(false);
            output.WriteLine($"worker {options.NodeId}: {units} units computed");
            return ExitCodes.Success;
        }));
        return command;
    }
}
