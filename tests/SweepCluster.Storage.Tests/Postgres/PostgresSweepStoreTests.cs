using System.Collections.Concurrent;
using Npgsql;
using SweepCluster.Storage.Postgres;
using SweepCluster.Storage.Tests.Support;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>What only the cluster store promises: many processes at once, concurrent migrations, byte-order ids.</summary>
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

        Assert.Equal(["1", "2", "3", "4", "5", "6"], await Schema.QueryTextAsync("SELECT version FROM schema_version ORDER BY version"));
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
    public async Task SixteenProcessesCommittingTheSameUnitsFinishEachOnce()
    {
        const int Units = 200;
        const int Workers = 16;
        var submitter = await NewMigratedStoreAsync();
        var groups = Enumerable.Range(0, Units).Select(i => Some.UnitCells(70_000 + i)).ToList();
        var units = groups.Select((g, i) => Some.Unit("s1", g, i % 7)).ToList();
        await submitter.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), units);
        var workers = Enumerable.Range(0, Workers).Select(_ => NewStore()).ToList();
        var completions = new ConcurrentBag<(string UnitId, string NodeId, CompletionStatus Status)>();

        // Each unit goes to two workers, which commit it at about the same time from different connection pools.
        await Task.WhenAll(workers.Select((store, worker) => Task.Run(async () =>
        {
            string node = $"node-{worker}";
            foreach (var unit in units.Where((_, i) => i % (Workers / 2) == worker % (Workers / 2)))
            {
                var handOut = new UnitLease(unit.Id, node, 1);
                await store.MarkUnitsStartedAsync([handOut]);
                var outcome = await store.CommitUnitAsync(handOut, Some.Results(unit));
                completions.Add((unit.Id, node, outcome.Status));
            }
        })));

        // The unit's row lock orders the two commits; the second finds the unit done and its results stored.
        var completed = completions.Where(c => c.Status == CompletionStatus.Completed).ToList();
        Assert.Equal(2 * Units, completions.Count);
        Assert.Equal(Units, completed.Count);
        Assert.Equal(Units, completed.Select(c => c.UnitId).Distinct().Count());
        Assert.True(completed.Select(c => c.NodeId).Distinct().Count() > 1, "the commits were spread over several workers");
        Assert.Empty(await submitter.GetNonDeterminismAsync("s1"));
        var progress = await submitter.GetProgressAsync("s1");
        Assert.Equal((Units, 2 * Units, true), (progress.UnitsDone, progress.CellsDone, progress.IsComplete));
        Assert.Equal(Units, (await submitter.GetEventsAsync("s1")).Count(e => e.Kind == JournalEventKinds.UnitCompleted));
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
    public async Task ALargeSubmissionLeavesThePlannerStatisticsThatMakeBatchLookupsUseTheIndexes()
    {
        var store = await NewMigratedStoreAsync();
        var cells = Enumerable.Range(0, 1200).Select(i => Some.UnitCells(i)).ToList();
        var units = cells.Select(c => Some.Unit("big", c, 1.0)).ToList();

        await store.SubmitAsync(Some.Sweep("big", cells.SelectMany(c => c)), units);

        // The workers load and commit units by the hundred at once; planned without statistics, such a batch reads
        // the whole table (see PostgresDialect.RefreshStatistics).
        string ids = string.Join(",", units.Take(32).Select(u => u.Id));
        var plan = string.Join("\n", await Schema.QueryTextAsync($"""
            SET random_page_cost = 1.1;
            EXPLAIN SELECT uc.unit_id, c.id, c.params FROM unit_cells uc JOIN cells c ON c.id = uc.cell_id
            WHERE uc.unit_id = ANY(string_to_array('{ids}', ','))
            """));
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Equal(["1200"], await Schema.QueryTextAsync($"SELECT reltuples::bigint FROM pg_class WHERE oid = '{Schema.Name}.units'::regclass"));
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
