using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using SweepCluster.Storage.Postgres;
using SweepCluster.Storage.Tests.Support;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>What only the cluster store promises: many processes at once, byte-order ids, its claim index, and LISTEN/NOTIFY.</summary>
/// <remarks>Each store object stands for one process: it has a connection pool of its own, as a pod would.</remarks>
[RequiresPostgres]
public sealed class PostgresSweepStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    private readonly List<PostgresSweepStore> _stores = [];
    private PostgresTestSchema? _schema;

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("the schema is created in InitializeAsync");

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigrationsFromEightStoresAtOnceApplyEachScriptExactlyOnce()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore()).ToList();

        // As eight pods starting together: without the advisory lock, two would both create the tables and one would fail.
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

        var versions = await Schema.QueryTextAsync("SELECT version FROM schema_version ORDER BY version");
        Assert.Equal(PostgresSchemaMigrator.Scripts.Select(s => s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions);
        Assert.Equal(["1"], await Schema.QueryTextAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{Schema.Name}' AND table_name = 'units'"));
        await stores[3].MigrateAsync();
        Assert.Equal(versions, await Schema.QueryTextAsync("SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public async Task AStoreOfSchemaVersionOneIsUpgradedAndKeepsItsSweeps()
    {
        // What the previous version (scripts up to 0001) left in the schema.
        await Schema.ExecuteAsync("""
            CREATE TABLE schema_version (
                version    integer NOT NULL PRIMARY KEY,
                name       text NOT NULL,
                applied_at double precision NOT NULL
            );
            """ + PostgresSchemaMigrator.Scripts[0].Sql + """
            ;
            INSERT INTO schema_version (version, name, applied_at) VALUES (1, '0001_initial.sql', 0);
            """);
        var store = NewStore();
        var cells = Some.UnitCells(1);
        await store.SubmitAsync(Some.Sweep("s1", cells), [Some.Unit("s1", cells, 1.0)]);
        var missing = await Assert.ThrowsAsync<PostgresException>(() => store.ListSeedsAsync("coordinator", LongLease));
        Assert.Equal(PostgresErrorCodes.UndefinedTable, missing.SqlState);

        await store.MigrateAsync();

        Assert.Equal(["1", "2", "3"], await Schema.QueryTextAsync("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal(["0002_cluster_seeds.sql"], await Schema.QueryTextAsync("SELECT name FROM schema_version WHERE version = 2"));
        Assert.Equal(["0003_cluster_members.sql"], await Schema.QueryTextAsync("SELECT name FROM schema_version WHERE version = 3"));
        Assert.Equal(["s1"], (await store.ListSweepsAsync()).Select(s => s.Id));
        Assert.Equal(1, (await store.GetProgressAsync("s1")).UnitsPending);
        await store.PublishSeedAsync("akka.tcp://sweep@host:4053", "coordinator");
        Assert.Equal(["akka.tcp://sweep@host:4053"], await store.ListSeedsAsync("coordinator", LongLease));
        await store.PublishMemberAsync(new MemberReport("akka.tcp://sweep@host:4053", "n", ["worker"], "Up", [], 1, 0, 0));
        Assert.Single(await store.ListMembersAsync(LongLease));
    }

    [Fact]
    public async Task SixteenClaimersInSixteenProcessesNeverHandAUnitToTwoOwners()
    {
        const int Units = 200;
        var submitter = await NewMigratedStoreAsync();
        var groups = Enumerable.Range(0, Units).Select(i => Some.UnitCells(70_000 + i)).ToList();
        await submitter.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), groups.Select((g, i) => Some.Unit("s1", g, i % 7)).ToList());
        var claimers = Enumerable.Range(0, 16).Select(_ => NewStore()).ToList();
        var claims = new ConcurrentBag<(string UnitId, string NodeId, int Attempt)>();

        await Task.WhenAll(claimers.Select((store, worker) => Task.Run(async () =>
        {
            string node = $"node-{worker}";
            while (await store.ClaimAsync(node, 1 + (worker % 3), LongLease) is { Count: > 0 } batch)
            {
                foreach (var unit in batch)
                {
                    claims.Add((unit.Lease.UnitId, node, unit.Lease.Attempt));
                    Assert.Equal(CompletionStatus.Completed, (await store.CompleteAsync(unit.Lease, Some.Results(unit))).Status);
                }
            }
        })));

        // SKIP LOCKED hands each row to one transaction; the guarded UPDATE would refuse a second taker anyway.
        Assert.Equal(Units, claims.Count);
        Assert.Equal(Units, claims.Select(c => c.UnitId).Distinct().Count());
        Assert.All(claims, c => Assert.Equal(1, c.Attempt));
        Assert.True(claims.Select(c => c.NodeId).Distinct().Count() > 1, "the claims were spread over several claimers");
        var progress = await submitter.GetProgressAsync("s1");
        Assert.Equal((Units, 2 * Units, true), (progress.UnitsDone, progress.CellsDone, progress.IsComplete));
        Assert.Equal(Units, (await submitter.GetEventsAsync("s1")).Count(e => e.Kind == JournalEventKinds.UnitClaimed));
    }

    [Fact]
    public async Task WaitForWorkReturnsPromptlyAfterASubmitFromAnotherStore()
    {
        var worker = await NewMigratedStoreAsync();
        var coordinator = NewStore();

        // The first wait opens the listening connection and returns at once: anything sent before was missed.
        Assert.True(await worker.WaitForWorkAsync(TimeSpan.FromSeconds(10)));
        var waiting = worker.WaitForWorkAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var cells = Some.UnitCells(1);
        await coordinator.SubmitAsync(Some.Sweep("s1", cells), [Some.Unit("s1", cells, 1.0)]);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)), "woken by the notification, not by the timeout");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woken after {clock.Elapsed}");
        Assert.Single(await worker.ClaimAsync("node-a", 1, LongLease));
    }

    [Fact]
    public async Task ANotificationBetweenTwoWaitsIsNotMissed()
    {
        var worker = await NewMigratedStoreAsync();
        var other = NewStore();
        var cells = Some.UnitCells(1);
        await other.SubmitAsync(Some.Sweep("s1", cells), [Some.Unit("s1", cells, 1.0)]);
        Assert.True(await worker.WaitForWorkAsync(TimeSpan.FromSeconds(10)));
        var unit = Assert.Single(await worker.ClaimAsync("node-a", 1, LongLease));
        await Task.Delay(200);

        // Released while the worker is busy elsewhere, not waiting: the next wait must not sleep through it.
        await other.ReleaseAsync(unit.Lease, "boom", TimeSpan.Zero, maxAttempts: 3);
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();

        Assert.True(await worker.WaitForWorkAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woken after {clock.Elapsed}");
    }

    [Fact]
    public async Task WaitForWorkGivesUpAtItsTimeout()
    {
        var worker = await NewMigratedStoreAsync();
        await worker.WaitForWorkAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();

        // Other tests may notify on the same database, so only the bound is certain, not the answer.
        await worker.WaitForWorkAsync(TimeSpan.FromMilliseconds(300));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"returned after {clock.Elapsed}");
    }

    [Fact]
    public async Task WaitForWorkStopsWhenCancelled()
    {
        var worker = await NewMigratedStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker.WaitForWorkAsync(TimeSpan.FromMinutes(5), cancelled.Token));

        // Cancelled while waiting. A notification from a test running beside this one may wake the wait first,
        // which is a correct answer too; so wait again until the cancellation is what ends it.
        for (int wakeUps = 0; ; wakeUps++)
        {
            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                await worker.WaitForWorkAsync(TimeSpan.FromMinutes(5), soon.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Assert.True(wakeUps < 50, "every wait was woken before its cancellation");
        }
    }

    [Fact]
    public async Task EveryIdColumnComparesBytesLikeSqlite()
    {
        await NewMigratedStoreAsync();

        // en_US and friends sort '-' and case differently from ordinal comparison; COLLATE "C" compares bytes.
        var collations = await Schema.QueryTextAsync($"""
            SELECT DISTINCT coalesce(collation_name, '(default)') FROM information_schema.columns
            WHERE table_schema = '{Schema.Name}' AND data_type = 'text' AND (column_name IN ('id', 'owner', 'hash') OR column_name LIKE '%\_id')
            """);
        Assert.Equal(["C"], collations);
    }

    [Fact]
    public async Task ClaimsCanWalkTheClaimIndex()
    {
        var store = await NewMigratedStoreAsync();
        var groups = Enumerable.Range(0, 50).Select(i => Some.UnitCells(80_000 + i)).ToList();
        await store.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), groups.Select((g, i) => Some.Unit("s1", g, i)).ToList());
        await Schema.ExecuteAsync("ANALYZE units");

        // With sequential scans priced out, the plan shows whether the partial index can serve the claim query at
        // all (its WHERE must be implied by the query's); on a big table the planner picks it by itself.
        string explain = PostgresSweepStore.ClaimCandidatesSql
            .Replace("@now", "1.0e12", StringComparison.Ordinal)
            .Replace("@sweepId::text", "NULL::text", StringComparison.Ordinal)
            .Replace("@sweepId", "NULL", StringComparison.Ordinal)
            .Replace("@limit", "10", StringComparison.Ordinal);
        var plan = string.Join("\n", await Schema.QueryTextAsync($"SET enable_seqscan = off; EXPLAIN {explain}"));

        Assert.Contains("units_claimable", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
    }

    private PostgresSweepStore NewStore()
    {
        var store = Schema.CreateStore();
        _stores.Add(store);
        return store;
    }

    private async Task<PostgresSweepStore> NewMigratedStoreAsync()
    {
        var store = NewStore();
        await store.MigrateAsync();
        return store;
    }
}
