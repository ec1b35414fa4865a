using SweepCluster.Storage.Postgres;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>Creating a store touches no server (the pool connects on first use), so these run everywhere.</summary>
public sealed class PostgresSweepStoreCreationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=5432;Database=sweeps;Username=sweep;Password=s3cret-Pa55";

    [Fact]
    public async Task TheDescriptionIsTheRedactedOneGiven()
    {
        await using var store = PostgresSweepStore.Create(ConnectionString, "postgres://sweep:***@127.0.0.1:5432/sweeps");

        Assert.Equal("postgres://sweep:***@127.0.0.1:5432/sweeps", store.Description);
    }

    [Fact]
    public void ADescriptionThatContainsThePasswordIsRefused()
    {
        // Descriptions go to logs and error messages.
        var e = Assert.Throws<ArgumentException>(() => PostgresSweepStore.Create(ConnectionString, "postgres://sweep:s3cret-Pa55@127.0.0.1/sweeps"));

        Assert.DoesNotContain("s3cret-Pa55", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordEqualToTheUserNameAndTheDatabaseNameIsAccepted()
    {
        // Issue 12: the description was searched for the password's text, so postgres:postgres was refused.
        await using var store = PostgresSweepStore.Create(
            "Host=127.0.0.1;Port=5432;Database=postgres;Username=postgres;Password=postgres", "postgres://postgres:***@127.0.0.1:5432/postgres");

        Assert.Equal("postgres://postgres:***@127.0.0.1:5432/postgres", store.Description);
    }

    [Fact]
    public async Task AStoreUsedAfterDisposalSaysSo()
    {
        var store = PostgresSweepStore.Create(ConnectionString, "postgres://sweep@127.0.0.1/sweeps");
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListSweepsAsync());
    }

    [Fact]
    public async Task AnUnreachableServerFailsAfterTheRetriesAndReportsEachOne()
    {
        // Port 1 on loopback: nothing listens there, so every connection is refused at once (a transient error).
        var policy = new PostgresRetryPolicy(4, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30));
        await using var store = PostgresSweepStore.Create("Host=127.0.0.1;Port=1;Database=x;Username=x;Password=y;Timeout=2", "postgres://x@127.0.0.1:1/x", policy);
        var retries = new List<StoreRetry>();
        store.Retrying += (_, retry) => retries.Add(retry);

        await Assert.ThrowsAsync<Npgsql.NpgsqlException>(() => store.ListSweepsAsync());

        Assert.Equal([1, 2, 3], retries.Select(r => r.Try));
        Assert.All(retries, r => Assert.Equal((nameof(ISweepStore.ListSweepsAsync), 4), (r.Operation, r.Tries)));
        Assert.All(retries, r => Assert.Contains("127.0.0.1", r.Reason, StringComparison.Ordinal));

        // 10, 20, 30 (the cap) ms, each within 20 % either way.
        Assert.All(retries, r => Assert.InRange(r.Delay.TotalMilliseconds, 0.8 * Math.Min(10 << (r.Try - 1), 30), 1.2 * Math.Min(10 << (r.Try - 1), 30)));
    }

    [Fact]
    public void TheDefaultRetryDelaysDoubleFromATenthOfASecondToFiveSecondsWithinAFifthEitherWay()
    {
        var policy = PostgresRetryPolicy.Default;
        double[] nominal = [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0];

        Assert.Equal(nominal, Enumerable.Range(1, policy.MaxAttempts - 1).Select(t => Math.Round(StoreRetries.Delay(policy.FirstDelay, policy.MaxDelay, t, 0.5).TotalSeconds, 3)));
        Assert.Equal(nominal.Select(n => Math.Round(0.8 * n, 3)), Enumerable.Range(1, policy.MaxAttempts - 1).Select(t => Math.Round(StoreRetries.Delay(policy.FirstDelay, policy.MaxDelay, t, 0).TotalSeconds, 3)));
        Assert.True(StoreRetries.Delay(policy.FirstDelay, policy.MaxDelay, 7, 0.999999).TotalSeconds is > 5.99 and < 6.0);
    }
}
