using System.Globalization;
using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cli.Output;

/// <summary>`status` for people: the full view, and the one line per interval of `status --watch` without a terminal.</summary>
public static class StatusText
{
    public static void Write(TextWriter output, SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        var p = status.Progress;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Sweep {status.Info.Id} ({status.Store})"));
        output.WriteLine(string.Create(c, $"  cells     {p.CellsDone}/{p.CellsTotal} with results ({status.PercentDone:0.0}%); {100 * status.WorkFraction:0.0}% of the predicted work"));
        output.WriteLine(string.Create(c, $"  units     {p.UnitsDone} done, {p.UnitsFailed} failed, {p.UnitsPending} pending, {p.UnitsLeased} in flight"));
        output.WriteLine(string.Create(c, $"  speed     {status.CellsPerSecond:0.0} cells/s over the finished units; ETA {EtaText.Format(status.EtaSeconds)}"));
        output.WriteLine(string.Create(c, $"  state     {SweepStates.Describe(status.State)}"));
        if (status.NonDeterministicCells > 0)
        {
            output.WriteLine(string.Create(c, $"  warning   {status.NonDeterministicCells} cells non-deterministic: computed twice with different results (the first is kept; marked in the exports)"));
        }

        foreach (var failed in status.FailedUnits.Take(5))
        {
            output.WriteLine(string.Create(c, $"  failed    unit {failed.UnitId} after {failed.Attempts} attempts: {failed.LastError}"));
        }

        MemberTable.Write(output, status.Members, p.DatabaseTime);
    }

    /// <summary>One line: time, sweep, cells, units in flight, speed, ETA and state.</summary>
    public static string Line(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var p = status.Progress;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:HH:mm:ss} {status.Info.Id}: {p.CellsDone}/{p.CellsTotal} cells ({status.PercentDone:0.0}%), {p.UnitsLeased} units in flight, {p.UnitsFailed} failed, {status.CellsPerSecond:0.0} cells/s, ETA {EtaText.Format(status.EtaSeconds)}, {status.State}");
    }
}
