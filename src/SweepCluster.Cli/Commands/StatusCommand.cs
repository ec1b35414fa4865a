using System.CommandLine;
using System.Globalization;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep status [SWEEP]`: progress of a sweep and the members of the cluster working on the store.</summary>
public static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id (the grid name). Optional when the store holds one sweep.", Arity = ArgumentArity.ZeroOrOne };
        var store = new StoreOptions();
        var command = new Command("status", "Show a sweep's progress (done, failed, pending, in flight, throughput, ETA) and the cluster's members (address, roles, up or unreachable, slots, units done, cells/s) as they last reported to the store.")
        {
            sweep,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, () => ExecuteAsync(parse.GetValue(sweep), store.Resolve(parse), output, ct)));
        return command;
    }

    private static async Task<int> ExecuteAsync(string? requested, StoreLocation location, TextWriter output, CancellationToken cancellationToken)
    {
        await using var store = await StoreFactory.OpenForReadingAsync(location, cancellationToken).ConfigureAwait(false);
        string sweepId = await SweepSelection.ResolveAsync(store, requested, cancellationToken).ConfigureAwait(false);
        var audit = await SweepAudits.CheckAsync(store, sweepId, cancellationToken).ConfigureAwait(false);
        var progress = await store.GetProgressAsync(sweepId, cancellationToken).ConfigureAwait(false);
        var members = await store.ListMembersAsync(MemberTable.ForgetAfter, cancellationToken).ConfigureAwait(false);
        var units = await UnitTally.ReadAsync(store.ReadUnitsAsync(sweepId, cancellationToken), cancellationToken).ConfigureAwait(false);
        double rate = units.CellsPerSecond;

        double? eta = progress.CellsDone >= progress.CellsTotal ? 0 : rate > 0 ? (progress.CellsTotal - progress.CellsDone) / rate : null;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Sweep {sweepId} ({store.Description})"));
        output.WriteLine(string.Create(c, $"  cells     {progress.CellsDone}/{progress.CellsTotal} with results ({(progress.CellsTotal == 0 ? 100 : 100.0 * progress.CellsDone / progress.CellsTotal):0.0}%)"));
        output.WriteLine(string.Create(c, $"  units     {progress.UnitsDone} done, {progress.UnitsFailed} failed, {progress.UnitsPending} pending, {progress.UnitsLeased} in flight"));
        output.WriteLine(string.Create(c, $"  speed     {rate:0.0} cells/s over the finished units; ETA {EtaText.Format(eta)}"));
        output.WriteLine(string.Create(c, $"  state     {(progress.IsComplete ? (progress.UnitsFailed > 0 ? "finished with failures (rerun with --retry-failed)" : "complete") : "running or interrupted (run the same command again to resume)")}"));
        if (audit.NonDeterministicCells > 0)
        {
            output.WriteLine(string.Create(c, $"  warning   {audit.NonDeterministicCells} cells non-deterministic: computed twice with different results (the first is kept; marked in the exports)"));
        }

        foreach (var failed in units.FirstFailed)
        {
            output.WriteLine(string.Create(c, $"  failed    unit {failed.UnitId} after {failed.Attempts} attempts: {failed.LastError}"));
        }

        MemberTable.Write(output, members, progress.DatabaseTime);
        return ExitCodes.Success;
    }
}
