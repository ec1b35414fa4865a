namespace SweepCluster.Cli.Tests.Faults;

/// <summary>The cluster fault tests run one at a time (they restart the shared PostgreSQL server) and beside nothing else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultGroup : ICollectionFixture<ClusterFaultFixture>
{
    public const string Name = "ClusterFaults";
}
