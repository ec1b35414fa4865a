using System.CommandLine;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep export [SWEEP] [--out DIR]`: writes cells, runs and summary files of what has landed so far.</summary>
public static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id. Optional when the store holds one sweep.", Arity = ArgumentArity.ZeroOrOne };
        var store = new StoreOptions();
        var outDir = new Option<string?>("--out") { Description = "Output folder (created if missing). Default: the sweep's folder beside the store (./sweeps/<sweep>/ for ./sweeps/<sweep>.db; ./<sweep>/ for a PostgreSQL store)." };
        var format = Options.ExportFormatOption.Create();
        var loss = new Option<string>("--loss") { Description = "Which loss columns: both, eps or data (KL columns are always there).", DefaultValueFactory = _ => "both" };
        loss.AcceptOnlyFromAmong("both", "eps", "data");
        var command = new Command("export", "Export a sweep: cells (deterministic columns, sorted by cell id), runs (nodes, attempts, durations) and summary (mean and std over seeds beside theory, residual and relative error). Works while the sweep is still running.")
        {
            sweep, outDir, format, loss,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var location = store.Resolve(parse, parse.GetValue(sweep));
            await using var s = await Stores.StoreFactory.OpenForReadingAsync(location, ct).ConfigureAwait(false);
            string sweepId = await SweepSelection.ResolveAsync(s, parse.GetValue(sweep), ct).ConfigureAwait(false);

            // Before reading the results, which is the slow part; after the store opened, so that a wrong --store leaves no folder behind.
            string folder = DefaultOutputFolder.Choose(parse.GetValue(outDir), DefaultOutputFolder.For(location, sweepId));
            var audit = await SweepAudits.CheckAsync(s, sweepId, ct).ConfigureAwait(false);
            string dir = await SweepExport.WriteAsync(s, sweepId, folder, parse.GetValue(format)!, LossSelections.Parse(parse.GetValue(loss)!), ct).ConfigureAwait(false);
            output.WriteLine($"Exported sweep {sweepId} to {dir}");
            if (audit.NonDeterministicCells > 0)
            {
                error.WriteLine($"warning: {SweepAudits.NonDeterminismMessage(audit)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
