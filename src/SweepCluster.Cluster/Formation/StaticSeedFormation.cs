using Akka.Actor;

namespace SweepCluster.Cluster.Formation;

/// <summary>
/// Seed nodes given explicitly (`--seed`, or the stable DNS names of a StatefulSet on Kubernetes). Akka's own
/// seed-node process: a node that is the first seed may found the cluster once no other seed answers; any
/// other node only ever joins, so a restarted node rejoins instead of founding a second cluster.
/// </summary>
public sealed class StaticSeedFormation(IReadOnlyList<Address> seeds, TimeSpan timeout) : IClusterFormation
{
    public string Description => "seed nodes " + string.Join(", ", seeds);

    public async Task JoinAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.JoinSeedNodes(seeds);
        if (!await MemberUp.WaitAsync(cluster, timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ClusterFormationException(
                $"no seed node answered within {timeout.TotalSeconds:0} s ({string.Join(", ", seeds)}); check that a coordinator is running there and that the remoting port is reachable");
        }
    }

    public Task AdvertiseAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WithdrawAsync(Akka.Cluster.Cluster cluster) => Task.CompletedTask;
}
