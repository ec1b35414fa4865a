namespace SweepCluster.Storage.Schema;

/// <summary>One (kind, state) group of <c>units</c> with its counts and sums, as the progress query reads it.</summary>
internal sealed class UnitCostTallyRow
{
    public string Kind { get; set; } = "";

    public string State { get; set; } = "";

    public long Units { get; set; }

    public double Cost { get; set; }

    public double TimedCost { get; set; }

    public double TimedSeconds { get; set; }

    public UnitCostTally ToRecord() => new(UnitKindNames.Parse(Kind), State, checked((int)Units), Cost, TimedCost, TimedSeconds);
}
