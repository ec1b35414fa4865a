using System.Collections.Concurrent;
using SweepCluster.Storage.Postgres;
using SweepCluster.Storage.Tests.Support;
using SweepCluster.Sweeps.Units;
using Xunit.Abstractions;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// A restart of the server while workers are busy: every store call in flight must ride it out through the
/// store's retries, and no work may be lost or done twice. Needs root (the script controls the server).
/// </summary>
[RequiresPostgres]
[Trait("Category", "fault")]
[Collection(PostgresFaultTests.Name)]
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private PostgresTestSchema? _schema;

    public PostgresRestartTests(ITestOutputHelper output) => _output = output;

    private PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("the schema is created in InitializeAsync");

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [Fact]
    public async Task WorkersRideOutARestartOfTheServerAndEveryUnitIsDoneOnce()
    {
        const int Units = 120;
        await using var coordinator = Schema.CreateStore();
        await coordinator.MigrateAsync();
        var groups = Enumerable.Range(0, Units).Select(i => Some.UnitCells(90_000 + i)).ToList();
        var units = groups.Select(g => Some.Unit("s1", g, 1.0)).ToList();
        await coordinator.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), units);
        var workers = Enumerable.Range(0, 4).Select(_ => Schema.CreateStore()).ToList();
        var retries = new ConcurrentBag<StoreRetry>();
        workers.ForEach(w => w.Retrying += (_, retry) => retries.Add(retry));
        var outcomes = new ConcurrentBag<CompletionStatus>();
        var restarted = new TaskCompletionSource();
        using var deadline = new CancellationTokenSource(Deadline);

        try
        {
            var running = workers.Select((store, i) => Task.Run(() => WorkAsync(store, $"node-{i}", units.Where((_, u) => u % workers.Count == i).ToList(), restarted.Task, outcomes, deadline.Token))).ToList();
            await Task.Delay(300);
            await PostgresServer.RestartAsync();
            restarted.SetResult();

            // Any exception a worker saw (none should reach it) fails the test here.
            await Task.WhenAll(running);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        foreach (var retry in retries.OrderBy(r => r.Try))
        {
            _output.WriteLine($"{retry.Operation} try {retry.Try} of {retry.Tries} failed, next in {retry.Delay.TotalSeconds:0.0} s: {retry.Error.GetType().Name}: {retry.Error.Message}");
        }

        _output.WriteLine(string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key}={g.Count()}")));
        Assert.NotEmpty(retries);
        Assert.All(retries, r => Assert.True(PostgresTransientErrors.IsTransient(r.Error), r.Error.ToString()));
        var progress = await coordinator.GetProgressAsync("s1");
        Assert.Equal((Units, 2 * Units, 0, 0), (progress.UnitsDone, progress.CellsDone, progress.UnitsPending, progress.UnitsLeased));
        Assert.All(await coordinator.GetCellsAsync("s1"), c => Assert.Equal(Some.Result(c.Cell.Id), c.Result));
        Assert.Empty(await coordinator.GetNonDeterminismAsync("s1"));

        // A commit retried after its first try went through answers AlreadyDone; nothing else may appear.
        Assert.Equal(Units, outcomes.Count(o => o is CompletionStatus.Completed));
    }

    /// <summary>
    /// Loads, starts and commits the worker's own units two at a time, with a little "compute" per unit, then
    /// keeps reading progress until the restart is over, so that some call is always in flight during it.
    /// </summary>
    private static async Task WorkAsync(PostgresSweepStore store, string node, IReadOnlyList<UnitDefinition> units, Task restarted, ConcurrentBag<CompletionStatus> outcomes, CancellationToken deadline)
    {
        foreach (var batch in units.Chunk(2))
        {
            var loaded = await store.LoadUnitsAsync(batch.Select(u => u.Id).ToList(), deadline);
            var handOuts = loaded.Select(u => new UnitLease(u.UnitId, node, 1)).ToList();
            await store.MarkUnitsStartedAsync(handOuts, deadline);
            foreach (var unit in loaded)
            {
                await Task.Delay(20, deadline);
                var results = unit.Cells.Select(c => Some.Result(c.Id)).ToList();
                outcomes.Add((await store.CommitUnitAsync(new UnitLease(unit.UnitId, node, 1), results, deadline)).Status);
            }
        }

        while (!restarted.IsCompleted)
        {
            await store.GetProgressAsync("s1", deadline);
            await Task.Delay(50, deadline);
        }
    }
}
