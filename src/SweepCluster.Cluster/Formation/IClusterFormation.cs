namespace SweepCluster.Cluster.Formation;

/// <summary>
/// How a node finds its cluster: from nothing (the embedded one-node cluster), from addresses given on the
/// command line or by Kubernetes DNS, or from the addresses coordinators publish in the store. Pluggable so
/// that each deployment picks its own source of seed nodes.
/// </summary>
public interface IClusterFormation
{
    /// <summary>What the logs say about this source.</summary>
    string Description { get; }

    /// <summary>Joins (or founds) the cluster and returns once this node is Up; throws <see cref="ClusterFormationException"/> past the timeout.</summary>
    Task JoinAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken);

    /// <summary>Keeps this node findable while it is a member (until cancelled).</summary>
    Task AdvertiseAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken);

    /// <summary>Stops advertising this node (clean shutdown).</summary>
    Task WithdrawAsync(Akka.Cluster.Cluster cluster);
}
