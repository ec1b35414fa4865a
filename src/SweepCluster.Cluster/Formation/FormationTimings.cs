namespace SweepCluster.Cluster.Formation;

/// <summary>Timings of store-published formation.</summary>
/// <param name="AliveWithin">A published address not refreshed for this long is taken for dead.</param>
/// <param name="Refresh">How often a coordinator refreshes its address (well within AliveWithin).</param>
/// <param name="AttemptTimeout">How long one join attempt may take before the addresses are read again.</param>
/// <param name="JoinTimeout">How long a node tries before it gives up with an error.</param>
public sealed record FormationTimings(TimeSpan AliveWithin, TimeSpan Refresh, TimeSpan AttemptTimeout, TimeSpan JoinTimeout)
{
    public static readonly FormationTimings Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
}
