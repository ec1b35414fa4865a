namespace SweepCluster.Cluster.Formation;

/// <summary>The embedded mode: a one-node cluster that founds itself on a loopback port; nothing to publish.</summary>
public sealed class SelfFormation : IClusterFormation
{
    public string Description => "a one-node cluster of its own";

    public async Task JoinAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.Join(cluster.SelfAddress);
        if (!await MemberUp.WaitAsync(cluster, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false))
        {
            throw new ClusterFormationException($"the one-node cluster at {cluster.SelfAddress} did not come up within 30 s");
        }
    }

    public Task AdvertiseAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WithdrawAsync(Akka.Cluster.Cluster cluster) => Task.CompletedTask;
}
