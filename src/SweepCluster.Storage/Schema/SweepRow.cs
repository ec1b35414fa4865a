namespace SweepCluster.Storage.Schema;

/// <summary>A row of <c>sweeps</c> with its cell and unit counts.</summary>
internal sealed class SweepRow
{
    public string Id { get; set; } = "";

    public string GridHash { get; set; } = "";

    public string GridText { get; set; } = "";

    public double CreatedAt { get; set; }

    public bool Finished { get; set; }

    public int Cells { get; set; }

    public int Units { get; set; }

    public double? FinishedAt { get; set; }

    public double? CancelledAt { get; set; }

    public SweepInfo ToRecord() => new(Id, GridHash, GridText, CreatedAt, Finished, Cells, Units, FinishedAt, CancelledAt);
}
