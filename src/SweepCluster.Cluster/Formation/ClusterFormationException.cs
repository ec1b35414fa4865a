namespace SweepCluster.Cluster.Formation;

/// <summary>The node could not join a cluster: the message says what was tried and what to do.</summary>
public sealed class ClusterFormationException : Exception
{
    public ClusterFormationException(string message)
        : base(message)
    {
    }

    public ClusterFormationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterFormationException()
    {
    }
}
