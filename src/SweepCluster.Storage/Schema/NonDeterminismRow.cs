namespace SweepCluster.Storage.Schema;

/// <summary>A row of <c>nondeterminism</c>.</summary>
internal sealed class NonDeterminismRow
{
    public string CellId { get; set; } = "";

    public string UnitId { get; set; } = "";

    public string FirstJson { get; set; } = "";

    public string SecondJson { get; set; } = "";

    public double At { get; set; }

    public NonDeterminismRecord ToRecord() => new(CellId, UnitId, FirstJson, SecondJson, At);
}
