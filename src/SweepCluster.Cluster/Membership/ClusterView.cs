using Akka.Cluster;

namespace SweepCluster.Cluster.Membership;

/// <summary>
/// What one node sees of its cluster, for /readyz and /metrics: how many members are Up and unreachable, and which
/// coordinator is the oldest (the one the singleton runs on). Nodes of one healthy cluster agree on all of it; two
/// nodes that name different oldest coordinators are in two clusters.
/// </summary>
/// <param name="MembersUp">Members with status Up, this node included once it is Up.</param>
/// <param name="Unreachable">Members this node's failure detector currently finds unreachable.</param>
/// <param name="CoordinatorsUp">Up members with the coordinator role.</param>
/// <param name="OldestCoordinator">The address of the oldest Up coordinator, where the singleton runs; null when there is none.</param>
public sealed record ClusterView(int MembersUp, int Unreachable, int CoordinatorsUp, string? OldestCoordinator)
{
    public static ClusterView Of(Akka.Cluster.Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var state = cluster.State;
        var up = state.Members.Where(m => m.Status == MemberStatus.Up).ToList();
        var coordinators = up.Where(m => m.HasRole(Hosting.SweepNode.CoordinatorRole)).ToList();
        var oldest = coordinators.Count == 0 ? null : coordinators.Aggregate((a, b) => a.IsOlderThan(b) ? a : b);
        return new ClusterView(up.Count, state.Unreachable.Count, coordinators.Count, oldest?.Address.ToString());
    }

    public override string ToString() =>
        $"{MembersUp} members up, {Unreachable} unreachable, {CoordinatorsUp} coordinators up, singleton on {OldestCoordinator ?? "no coordinator"}";
}
