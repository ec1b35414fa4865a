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
    public void AProviderWithoutScriptsIsABuildMistake()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MigrationScripts.Load("Nowhere"));
        Assert.Contains("Nowhere", e.Message, StringComparison.Ordinal);
    }
}
