namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// The tests that restart the PostgreSQL server. They run alone, after the parallel tests of this assembly,
/// so that no other test's own connections (schema setup, direct queries) are cut under it. Tests of other
/// assemblies running at the same time against the same server are not protected: filter these out with
/// <c>--filter "Category!=fault"</c> when that matters.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresFaultTests
{
    public const string Name = "postgres-fault";
}
