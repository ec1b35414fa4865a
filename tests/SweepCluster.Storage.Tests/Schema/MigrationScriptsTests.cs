using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Tests.Schema;

public sealed class MigrationScriptsTests
{
    [Fact]
    public void TheSqliteScriptsAreEmbeddedAndNumberedWithoutGaps()
    {
        var scripts = MigrationScripts.Load("Sqlite");

        Assert.Equal(Enumerable.Range(1, scripts.Count), scripts.Select(s => s.Version));
        Assert.Equal("0001_initial.sql", scripts[0].Name);
        Assert.Contains("CREATE TABLE units", scripts[0].Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void BothProvidersHaveTheSameScripts()
    {
        // A script added for one provider only would leave the two stores with different schemas at one version.
        var sqlite = MigrationScripts.Load("Sqlite");
        var postgres = MigrationScripts.Load("Postgres");

        Assert.Equal(sqlite.Select(s => s.Name), postgres.Select(s => s.Name));
        Assert.Equal(["0001_initial.sql", "0002_cluster_seeds.sql", "0003_cluster_members.sql", "0004_sweep_cancel.sql", "0005_unit_compute_time.sql", "0006_family_kinds.sql"], sqlite.Select(s => s.Name));
        Assert.All([sqlite[1], postgres[1]], s => Assert.Contains("CREATE TABLE cluster_seeds", s.Sql, StringComparison.Ordinal));
    }

    [Fact]
    public void AProviderWithoutScriptsIsABuildMistake()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MigrationScripts.Load("Nowhere"));
        Assert.Contains("Nowhere", e.Message, StringComparison.Ordinal);
    }
}
