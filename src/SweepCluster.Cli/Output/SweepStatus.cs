using SweepCluster.Cli.Commands;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Output;

/// <summary>Everything `status` shows about a sweep, read once from the store.</summary>
/// <param name="CellsPerSecond">Over the finished units' own finish times: the status command keeps no history.</param>
/// <param name="EtaSeconds">Null while unknown (fewer than two units finished).</param>
public sealed record SweepStatus(
    SweepInfo Info,
    string Store,
    string State,
    SweepProgress Progress,
    double CellsPerSecond,
    double? EtaSeconds,
    int NonDeterministicCells,
    IReadOnlyList<UnitRecord> FailedUnits,
    IReadOnlyList<MemberRecord> Members)
{
    public static async Task<SweepStatus> ReadAsync(ISweepStore store, string sweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var audit = await SweepAudits.CheckAsync(store, sweepId, cancellationToken).ConfigureAwait(false);
        var info = (await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Id == sweepId)
            ?? throw new CommandInputException($"no sweep '{sweepId}' in {store.Description} (deleted?)");
        var progress = await store.GetProgressAsync(sweepId, cancellationToken).ConfigureAwait(false);
        var members = await store.ListMembersAsync(MemberTable.ForgetAfter, cancellationToken).ConfigureAwait(false);
        var units = await store.GetUnitsAsync(sweepId, cancellationToken).ConfigureAwait(false);

        var done = units.Where(u => u.FinishedAt is not null && u.State == UnitStates.Done).ToArray();
        var finished = done.Select(u => u.FinishedAt!.Value).Order().ToArray();
        double rate = finished.Length >= 2 && finished[^1] > finished[0] ? done.Sum(u => u.Cells) / (finished[^1] - finished[0]) : 0;
        double? eta = progress.CellsDone >= progress.CellsTotal ? 0 : rate > 0 ? (progress.CellsTotal - progress.CellsDone) / rate : null;
        return new SweepStatus(
            info,
            store.Description,
            SweepStates.Of(info, progress),
            progress,
            rate,
            eta,
            audit.NonDeterministicCells,
            units.Where(u => u.State == UnitStates.Failed).ToArray(),
            members);
    }

    public double PercentDone => Progress.CellsTotal == 0 ? 100 : 100.0 * Progress.CellsDone / Progress.CellsTotal;

    /// <summary>Seconds from the first submission to the end (finished or cancelled), or to now.</summary>
    public double DurationSeconds => (Info.FinishedAt ?? Info.CancelledAt ?? Progress.DatabaseTime) - Info.CreatedAt;
}
