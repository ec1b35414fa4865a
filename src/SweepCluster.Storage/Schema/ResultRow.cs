namespace SweepCluster.Storage.Schema;

/// <summary>The parts of a stored result that decide whether a second result for the same cell agrees with it.</summary>
internal sealed class ResultRow
{
    public string Status { get; set; } = "";

    public string MetricsJson { get; set; } = "";
}
