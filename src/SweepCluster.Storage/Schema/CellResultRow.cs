namespace SweepCluster.Storage.Schema;

/// <summary>A cell joined with its result, if any (the result columns are null while it is not computed).</summary>
internal sealed class CellResultRow
{
    public string CellId { get; set; } = "";

    public string Params { get; set; } = "";

    public string? Status { get; set; }

    public string? MetricsJson { get; set; }

    public string? Message { get; set; }

    public double? DurationSeconds { get; set; }
}
