using SweepCluster.Cli.Commands;
using SweepCluster.Cluster.Progress;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Output;

/// <summary>Everything `status` shows about a sweep, read once from the store.</summary>
/// <param name="CellsPerSecond">Over the finished units' own finish times: the status command keeps no history.</param>
/// <param name="FailedUnits">The first failed units in id order, at most <see cref="UnitTally.FailedShown"/>; the count is in <see cref="Progress"/>.</param>
/// <param name="EtaSeconds">Null while unknown (no unit timed and fewer than two units finished).</param>
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
        var units = await UnitTally.ReadAsync(store.ReadUnitsAsync(sweepId, cancellationToken), cancellationToken).ConfigureAwait(false);
        double rate = units.CellsPerSecond;
        // With members computing, the time left is the remaining units laid out on their slots (TailSchedule);
        // without (no cluster running, or units not yet timed), cells over the finished units' rate.
        int slots = LiveSlotsOf(members);
        double? eta = progress.CellsDone >= progress.CellsTotal ? 0
            : (slots > 0 ? TailSchedule.RemainingSeconds(progress, slots) : null) ?? (rate > 0 ? (progress.CellsTotal - progress.CellsDone) / rate : null);
        return new SweepStatus(
            info,
            store.Description,
            SweepStates.Of(info, progress),
            progress,
            rate,
            eta,
            audit.NonDeterministicCells,
            units.FirstFailed,
            members);
    }

    /// <summary>The share of the predicted work done (<see cref="SweepWork"/>): what the progress bar of `run` shows.</summary>
    public double WorkFraction => SweepWork.Estimate(Progress, LiveSlots > 0 ? LiveSlots : null).Fraction;

    /// <summary>The compute slots of the members that reported lately; 0 without a running cluster.</summary>
    private int LiveSlots => LiveSlotsOf(Members);

    private static int LiveSlotsOf(IEnumerable<MemberRecord> members) =>
        members.Where(m => m.SecondsSinceRefresh < MemberTable.StaleAfter.TotalSeconds).Sum(m => m.Report.Slots);

    public double PercentDone => Progress.CellsTotal == 0 ? 100 : 100.0 * Progress.CellsDone / Progress.CellsTotal;

    /// <summary>Seconds from the first submission to the end (finished or cancelled), or to now.</summary>
    public double DurationSeconds => (Info.FinishedAt ?? Info.CancelledAt ?? Progress.DatabaseTime) - Info.CreatedAt;
}
