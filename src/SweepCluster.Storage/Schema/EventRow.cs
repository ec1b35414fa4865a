namespace SweepCluster.Storage.Schema;

/// <summary>A row of the <c>events</c> journal.</summary>
internal sealed class EventRow
{
    public long Seq { get; set; }

    public double At { get; set; }

    public string Kind { get; set; } = "";

    public string? SweepId { get; set; }

    public string? UnitId { get; set; }

    public string? NodeId { get; set; }

    public int? Attempt { get; set; }

    public string? Detail { get; set; }

    public JournalEvent ToRecord() => new(Kind, SweepId, UnitId, NodeId, Attempt, Detail, At, Seq);
}
