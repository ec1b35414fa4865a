using Npgsql;
using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Tests.Stores;

/// <summary>postgres:// URLs are taken apart by position (issue 12): the password is cut out where it is, whatever it equals or holds.</summary>
public sealed class PostgresUrlTests
{
    [Theory]
    [InlineData("postgres://postgres:postgres@db/postgres", "postgres://postgres:***@db/postgres", "postgres")]
    [InlineData("postgresql://sweep:sweep@127.0.0.1:5433/sweep", "postgresql://sweep:***@127.0.0.1:5433/sweep", "sweep")]
    [InlineData("postgres://u:p@ss/w?rd#x@db:5432/s", "postgres://u:***@db:5432/s", "p@ss/w?rd#x")]
    [InlineData("postgres://u:a%40b%2Fc@db/s?Search%20Path=x", "postgres://u:***@db/s", "a@b/c")]
    [InlineData("postgres://u@db/s?Password=q1", "postgres://u@db/s", "q1")]
    [InlineData("postgres://u@db/s", "postgres://u@db/s", null)]
    [InlineData("postgres://db/s", "postgres://db/s", null)]
    public void ThePasswordIsCutOutByItsPlaceAndTheRestKept(string url, string redacted, string? password)
    {
        Assert.Equal(redacted, PostgresUrl.Redact(url));
        var settings = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString(url));
        Assert.Equal(password, settings.Password);
        Assert.Contains(settings.Host, new[] { "db", "127.0.0.1" });
    }

    [Fact]
    public void EveryPartReachesTheConnectionString()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://sweep:s%3Bp@[::1]:6543/my%20db?Search%20Path=s1&Timeout=3"));

        Assert.Equal(("::1", 6543, "my db", "sweep", "s;p", "s1", 3), (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SearchPath, settings.Timeout));
    }

    [Theory]
    [InlineData("postgres://u:pw@db:0/s", "port '0'")]
    [InlineData("postgres://u:pw@db:65536/s", "port '65536'")]
    [InlineData("postgres://u:pw@db:x1/s", "port 'x1'")]
    [InlineData("postgres://u:pw@/s", "names no host")]
    public void AnImpossibleHostOrPortIsRefusedWithoutThePassword(string url, string problem)
    {
        var e = Assert.Throws<StoreLocationException>(() => PostgresUrl.ToConnectionString(url));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", e.Message, StringComparison.Ordinal);
    }
}
