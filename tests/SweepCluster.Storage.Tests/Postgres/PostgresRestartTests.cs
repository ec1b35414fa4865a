using System.Collections.Concurrent;
using System.Diagnostics;
using SweepCluster.Storage.Postgres;
using SweepCluster.Storage.Tests.Support;
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
    // Short, so that a claim whose commit went through but whose reply was lost in the restart (its lease
    // known to nobody) expires and is claimed again within the test.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

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
        await coordinator.SubmitAsync(Some.Sweep("s1", groups.SelectMany(g => g)), groups.Select(g => Some.Unit("s1", g, 1.0)).ToList());
        var workers = Enumerable.Range(0, 4).Select(_ => Schema.CreateStore()).ToList();
        var retries = new ConcurrentBag<PostgresRetry>();
        workers.ForEach(w => w.Retrying += (_, retry) => retries.Add(retry));
        var outcomes = new ConcurrentBag<CompletionStatus>();
        var restarted = new TaskCompletionSource();
        using var deadline = new CancellationTokenSource(Deadline);

        try
        {
            var running = workers.Select((store, i) => Task.Run(() => WorkAsync(store, $"node-{i}", restarted.Task, outcomes, deadline.Token))).ToList();
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

        foreach (var retry in retries.OrderBy(r => r.Attempt))
        {
            _output.WriteLine($"{retry.Operation} try {retry.Attempt} failed, next in {retry.Delay.TotalSeconds:0.0} s: {retry.Error.GetType().Name}: {retry.Error.Message}");
        }

        _output.WriteLine(string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key}={g.Count()}")));
        Assert.NotEmpty(retries);
        Assert.All(retries, r => Assert.True(PostgresTransientErrors.IsTransient(r.Error), r.Error.ToString()));
        var progress = await coordinator.GetProgressAsync("s1");
        Assert.Equal((Units, 2 * Units, 0, 0), (progress.UnitsDone, progress.CellsDone, progress.UnitsPending, progress.UnitsLeased));
        Assert.All(await coordinator.GetCellsAsync("s1"), c => Assert.Equal(Some.Result(c.Cell.Id), c.Result));
        Assert.Empty(await coordinator.GetNonDeterminismAsync("s1"));

        // A completion retried after its commit went through answers AlreadyDone; nothing else may appear.
        Assert.Equal(Units, outcomes.Count(o => o is CompletionStatus.Completed or CompletionStatus.CompletedAfterLeaseLoss));
    }

    [Fact]
    public async Task TheWorkListenerReconnectsAfterARestart()
    {
        await using var worker = Schema.CreateStore();
        await using var coordinator = Schema.CreateStore();
        await worker.MigrateAsync();
        Assert.True(await worker.WaitForWorkAsync(TimeSpan.FromSeconds(10)));

        await PostgresServer.RestartAsync();

        // The listener lost its connection; once back it signals, since notifications may have been missed meanwhile.
        Assert.True(await worker.WaitForWorkAsync(TimeSpan.FromSeconds(30)), "woken when the listener reconnected");
        var waiting = worker.WaitForWorkAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var cells = Some.UnitCells(1);
        await coordinator.SubmitAsync(Some.Sweep("s1", cells), [Some.Unit("s1", cells, 1.0)]);
        Assert.True(await waiting, "woken by the notification, not by the timeout");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woken after {clock.Elapsed}");
    }

    /// <summary>Claims and completes until the restart is over and nothing is left, with a little "compute" per unit.</summary>
    private static async Task WorkAsync(PostgresSweepStore store, string node, Task restarted, ConcurrentBag<CompletionStatus> outcomes, CancellationToken deadline)
    {
        while (true)
        {
            deadline.ThrowIfCancellationRequested();
            var batch = await store.ClaimAsync(node, 2, Lease, cancellationToken: deadline);
            foreach (var unit in batch)
            {
                await Task.Delay(20, deadline);
                outcomes.Add((await store.CompleteAsync(unit.Lease, Some.Results(unit), deadline)).Status);
            }

            if (batch.Count == 0)
            {
                if (restarted.IsCompleted && (await store.GetProgressAsync("s1", deadline)).IsComplete)
                {
                    return;
                }

                // Nothing claimable: the rest is leased by others, or by a lost claim whose lease must expire first.
                await Task.Delay(100, deadline);
            }
        }
    }
}
