namespace SweepCluster.Storage.Schema;

/// <summary>A row of <c>nodes</c>, with liveness computed by the query against the database clock.</summary>
internal sealed class NodeRow
{
    public string Id { get; set; } = "";

    public string Host { get; set; } = "";

    public string Role { get; set; } = "";

    public int Slots { get; set; }

    public double StartedAt { get; set; }

    public double HeartbeatAt { get; set; }

    public bool Alive { get; set; }

    public bool Stopped { get; set; }

    public int UnitsDone { get; set; }

    public int CellsDone { get; set; }
}
