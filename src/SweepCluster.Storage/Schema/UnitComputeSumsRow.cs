namespace SweepCluster.Storage.Schema;

/// <summary>The timed done units of one kind, summed for a fit of time to cost, as the progress query reads them.</summary>
internal sealed class UnitComputeSumsRow
{
    public string Kind { get; set; } = "";

    public long Units { get; set; }

    public double Cost { get; set; }

    public double Seconds { get; set; }

    public double CostSquared { get; set; }

    public double CostTimesSeconds { get; set; }

    public UnitComputeSums ToRecord() => new(UnitKindNames.Parse(Kind), checked((int)Units), Cost, Seconds, CostSquared, CostTimesSeconds);
}
