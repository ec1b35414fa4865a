namespace SweepCluster.Storage.Schema;

/// <summary>Pending units of one kind and cost, as the progress query reads them.</summary>
internal sealed class UnitCostGroupRow
{
    public string Kind { get; set; } = "";

    public double Cost { get; set; }

    public long Units { get; set; }

    public UnitCostGroup ToRecord() => new(UnitKindNames.Parse(Kind), Cost, checked((int)Units));
}
