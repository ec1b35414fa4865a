using Npgsql;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>What the store adds to a connection string, and that an explicit setting always wins.</summary>
public sealed class PostgresSessionDefaultsTests
{
    [Fact]
    public void AnEmptyConnectionStringGetsTheApplicationNameTheTimeoutsAndStatementPreparation()
    {
        var settings = PostgresSweepStore.WithSessionDefaults(new NpgsqlConnectionStringBuilder("Host=db;Username=u;Database=d"));

        Assert.Equal("sweepcluster", settings.ApplicationName);
        Assert.Equal("-c idle_in_transaction_session_timeout=60000 -c lock_timeout=10000 -c random_page_cost=1.1", settings.Options);
        Assert.Equal((32, 2), (settings.MaxAutoPrepare, settings.AutoPrepareMinUsages));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0, 5)]
    [InlineData("Max Auto Prepare=8;Auto Prepare Min Usages=3", 8, 3)]
    [InlineData("Auto Prepare Min Usages=4", 0, 4)]
    public void StatementPreparationSetInTheConnectionStringIsKept(string options, int maxAutoPrepare, int minUsages)
    {
        var settings = PostgresSweepStore.WithSessionDefaults(new NpgsqlConnectionStringBuilder("Host=db;Username=u;Database=d;" + options));

        Assert.Equal((maxAutoPrepare, minUsages), (settings.MaxAutoPrepare, settings.AutoPrepareMinUsages));
    }

    [Fact]
    public void AnApplicationNameAndOptionsSetInTheConnectionStringAreKept()
    {
        var settings = PostgresSweepStore.WithSessionDefaults(new NpgsqlConnectionStringBuilder("Host=db;Application Name=mine;Options=-c lock_timeout=1"));

        Assert.Equal(("mine", "-c lock_timeout=1"), (settings.ApplicationName, settings.Options));
    }
}
