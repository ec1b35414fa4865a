using Npgsql;

namespace SweepCluster.Storage.Tests.Postgres;

public sealed class PostgresTestUrlTests
{
    [Fact]
    public void TheUrlThatPostgresShPrintsBecomesAConnectionString()
    {
        // scripts/postgres.sh percent-encodes a password from SWEEP_PG_PASSWORD.
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestUrl.ToConnectionString("postgres://sweep:a%27b%5Cc%20d%40%25@127.0.0.1:5433/sweep_test"));

        Assert.Equal(("127.0.0.1", 5433, "sweep_test", "sweep", "a'b\\c d@%"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Fact]
    public void TheDefaultPortIs5432()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresTestUrl.ToConnectionString("postgresql://sweep:pw@localhost/db"));

        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void AMalformedUrlIsRefusedWithoutEchoingIt()
    {
        var e = Assert.Throws<FormatException>(() => PostgresTestUrl.ToConnectionString("mysql://sweep:hunter2@db/x"));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }
}
