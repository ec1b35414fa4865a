namespace SweepCluster.Storage.Schema;

/// <summary>A row of <c>units</c> as the stores read it (columns aliased to these names in each query).</summary>
internal sealed class UnitRow
{
    public string Id { get; set; } = "";

    public string SweepId { get; set; } = "";

    public string Kind { get; set; } = "";

    public double Cost { get; set; }

    public string State { get; set; } = "";

    public string? Owner { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public double? StartedAt { get; set; }

    public double? FinishedAt { get; set; }

    /// <summary>Number of cells; filled only by the queries that count them.</summary>
    public int Cells { get; set; }
}
