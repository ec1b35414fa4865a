using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SweepCluster.Storage.Schema;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Storage.Tests.Support;

namespace SweepCluster.Storage.Tests.Sqlite;

/// <summary>What only the embedded store promises: its file, its pragmas, its indexes and its behaviour across processes.</summary>
public sealed class SqliteSweepStoreTests : IDisposable
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpeningCreatesTheFoldersAndTheDescriptionNamesTheFile()
    {
        string path = _folder.File(Path.Combine("a", "b", "sweeps.db"));

        await using var store = SqliteSweepStore.Open(path);
        await store.MigrateAsync();

        Assert.True(File.Exists(path));
        Assert.Equal("sqlite:" + Path.GetFullPath(path), store.Description);
    }

    [Fact]
    public async Task TheFileIsInWalModeAndKnowsItsSchemaVersion()
    {
        await using var store = await OpenMigratedAsync();
        await using var connection = SqliteTestDatabase.Connect(store.FullPath);

        Assert.Equal(["wal"], await SqliteTestDatabase.QueryTextAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(
            SqliteSchemaMigrator.Scripts.Select(s => s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await SqliteTestDatabase.QueryTextAsync(connection, "SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public async Task AStoreOfSchemaVersionOneIsUpgradedAndKeepsItsSweeps()
    {
        string path = _folder.File("sweeps.db");
        await using (var connection = SqliteTestDatabase.Connect(path))
        {
            // What the previous version (scripts up to 0001) left in the file.
            await SqliteTestDatabase.ExecuteAsync(connection, """
                CREATE TABLE schema_version (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at REAL NOT NULL
                ) STRICT;
                """ + SqliteSchemaMigrator.Scripts[0].Sql + """
                ;
                INSERT INTO schema_version (version, name, applied_at) VALUES (1, '0001_initial.sql', 0);
                """);
        }

        await using var store = SqliteSweepStore.Open(path);
        var cells = Some.UnitCells(1);
        await store.SubmitAsync(Some.Sweep("s1", cells), [Some.Unit("s1", cells, 1.0)]);
        await Assert.ThrowsAsync<SqliteException>(() => store.ListSeedsAsync("coordinator", LongLease));

        await store.MigrateAsync();

        await using (var connection = SqliteTestDatabase.Connect(path))
        {
            Assert.Equal(["1", "2", "3", "4", "5", "6"], await SqliteTestDatabase.QueryTextAsync(connection, "SELECT version FROM schema_version ORDER BY version"));
            Assert.Equal(["0002_cluster_seeds.sql"], await SqliteTestDatabase.QueryTextAsync(connection, "SELECT name FROM schema_version WHERE version = 2"));
            Assert.Equal(["0003_cluster_members.sql"], await SqliteTestDatabase.QueryTextAsync(connection, "SELECT name FROM schema_version WHERE version = 3"));
        }

        Assert.Equal(["s1"], (await store.ListSweepsAsync()).Select(s => s.Id));
        Assert.Equal(1, (await store.GetProgressAsync("s1")).UnitsPending);
        await store.PublishSeedAsync("akka.tcp://sweep@host:4053", "coordinator");
        Assert.Equal(["akka.tcp://sweep@host:4053"], await store.ListSeedsAsync("coordinator", LongLease));
        await store.PublishMemberAsync(new MemberReport("akka.tcp://sweep@host:4053", "n", ["worker"], "Up", [], 1, 0, 0));
        Assert.Single(await store.ListMembersAsync(LongLease));
    }

    [Fact]
    public async Task ForeignKeysAreEnforced()
    {
        await using var store = await OpenMigratedAsync();
        var cells = Some.UnitCells(1);
        var unit = Some.Unit("s1", cells, 1.0);

        // A unit of a sweep that was never written: the store validates this itself, and the schema backs it up.
        var unitOfAnotherSweep = unit with { SweepId = "ghost" };
        await Assert.ThrowsAsync<ArgumentException>(() => store.SubmitAsync(Some.Sweep("s1", cells), [unitOfAnotherSweep]));
        Assert.Empty(await store.ListSweepsAsync());
    }

    [Fact]
    public void TheSchemaSpellsUnitStatesAsUnitStatesDoes()
    {
        string sql = SqliteSchemaMigrator.Scripts[0].Sql;

        var check = Regex.Match(sql, @"state\s+TEXT NOT NULL CHECK \(state IN \(([^)]*)\)\)");
        Assert.True(check.Success, "the units table declares its states in a CHECK constraint");
        var declared = Regex.Matches(check.Groups[1].Value, "'([a-z_]+)'").Select(m => m.Groups[1].Value);
        Assert.Equal(UnitStates.All.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));

        // The literal states in the partial indexes must be UnitStates' spelling too.
        Assert.Contains($"WHERE state IN ('{UnitStates.Pending}', '{UnitStates.Leased}')", sql, StringComparison.Ordinal);
        Assert.Contains($"WHERE state = '{UnitStates.Leased}'", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoStoresOnOneFileFinishEachUnitOnce()
    {
        // Two store objects stand for two processes: their writes meet at SQLite's file lock, not at one gate.
        await using var first = await OpenMigratedAsync();
        await using var second = SqliteSweepStore.Open(first.FullPath);
        var groups = Enumerable.Range(0, 60).Select(i => Some.UnitCells(500 + i)).ToList();
        var units = groups.Select(g => Some.Unit("s1", g, 1.0)).ToList();
        await first.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), units);
        var completed = new ConcurrentBag<string>();

        // Every unit is committed by four workers, two through each store.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var store = worker % 2 == 0 ? first : second;
            foreach (var unit in worker < 2 ? units : units.AsEnumerable().Reverse())
            {
                var handOut = new UnitLease(unit.Id, $"node-{worker}", 1);
                await store.MarkUnitsStartedAsync([handOut]);
                var outcome = await store.CommitUnitAsync(handOut, Some.Results(unit));
                if (outcome.Status == CompletionStatus.Completed)
                {
                    completed.Add(unit.Id);
                }
            }
        })));

        Assert.Equal(60, completed.Count);
        Assert.Equal(60, completed.Distinct().Count());
        Assert.Equal(60, (await second.GetProgressAsync("s1")).UnitsDone);
    }

    [Fact]
    public async Task AStoreUsedAfterDisposalSaysSo()
    {
        var store = await OpenMigratedAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListSweepsAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.MarkUnitsStartedAsync([new UnitLease("unit", "node-a", 1)]));
    }

    private async Task<SqliteSweepStore> OpenMigratedAsync()
    {
        var store = SqliteSweepStore.Open(_folder.File("sweeps.db"));
        await store.MigrateAsync();
        return store;
    }
}
