using System.CommandLine;
using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep coordinator [SWEEP]`: aggregates progress, logs it with ETA, reports dead nodes and expired leases, finishes sweeps.</summary>
public static class CoordinatorCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var node = new NodeCommandOptions();
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep to watch. Default: every sweep in the store (a restarted coordinator still reports failed units of finished sweeps).", Arity = ArgumentArity.ZeroOrOne };
        var untilDone = new Option<bool>("--until-done") { Description = "Exit when every watched sweep is complete: 0, or 1 if units failed for good." };
        var outDir = new Option<string?>("--out") { Description = "Write each finished sweep's exports to DIR/<sweep>." };
        var command = new Command("coordinator", "Watch sweeps in a shared store: progress, throughput and ETA in the logs, dead nodes and expired leases, finishing. Safe to kill and restart at any time; workers do not need it to make progress.")
        {
            sweep, untilDone, outDir,
        };
        node.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var settings = node.LoadSettings(parse);
            var location = node.Store.Resolve(parse);
            await using var log = node.CreateLogger(parse, settings, error);
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

            var metrics = new NodeMetrics();
            await using var health = await HealthServer.StartAsync(settings.HttpPort, store, metrics, log).ConfigureAwait(false);
            string? exports = parse.GetValue(outDir);
            log.Information("Coordinator watching {Sweeps} on {Store}", string.Join(", ", sweeps), location.Redacted);
            int failed = await NodeRunner.RunCoordinatorAsync(
                store,
                sweeps,
                settings.ToClusterSettings(),
                log,
                parse.GetValue(untilDone),
                drain.Token,
                metrics,
                exports is null ? null : async (id, progress, token) =>
                {
                    string dir = await SweepExport.WriteAsync(store, id, Path.Combine(exports, id), "csv", Sweeps.Exports.LossSelection.Both, token).ConfigureAwait(false);
                    log.ForContext("SweepId", id).Information("Exports of {SweepId} written to {Directory}", id, dir);
                }).ConfigureAwait(false);
            return failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }));
        return command;
    }
}
