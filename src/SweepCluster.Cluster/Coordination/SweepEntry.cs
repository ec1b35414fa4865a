namespace SweepCluster.Cluster.Coordination;

/// <summary>A sweep in the coordinator's state; the counts follow its units.</summary>
public sealed record SweepEntry(string SweepId, int Units, int Done, int Failed, bool Finished)
{
    /// <summary>Every unit is done or failed.</summary>
    public bool AllSettled => Done + Failed == Units;
}
