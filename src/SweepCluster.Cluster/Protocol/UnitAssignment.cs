namespace SweepCluster.Cluster.Protocol;

/// <summary>A unit handed to a worker: what to load from the store (its cells) and the attempt to report with.</summary>
public sealed record UnitAssignment(string UnitId, string SweepId, int Attempt, double Cost)
{
    public UnitTicket Ticket => new(UnitId, Attempt);
}
