using System.Collections.Concurrent;
using SweepCluster.Storage.Schema;
using SweepCluster.Storage.Tests.Support;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="ISweepStore"/> must do, run against each implementation by deriving from this class.
/// </summary>
/// <remarks>
/// Fixture discipline: every test gets a fresh, empty database from <see cref="CreateStoreAsync"/>, migrated
/// by <see cref="InitializeAsync"/>, and disposed afterwards; no test starts a background loop. Lease-expiry
/// tests wait out a short lease on the real database clock, so they take a few hundred milliseconds each.
/// Cell ids are compared ordinally (byte order), which a PostgreSQL store must match with COLLATE "C".
/// </remarks>
public abstract partial class SweepStoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    protected static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(200);

    private const string NodeA = "node-a";
    private const string NodeB = "node-b";

    private ISweepStore? _store;

    protected ISweepStore Store => _store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>A store over a fresh, empty database, not yet migrated. The suite disposes it.</summary>
    protected abstract Task<ISweepStore> CreateStoreAsync();

    /// <summary>Records in the store's database a schema version newer than any this program has scripts for.</summary>
    protected abstract Task RecordNewerSchemaVersionAsync(ISweepStore store);

    /// <summary>Runs a statement (valid on every provider) on the store's database behind the store's back, as an operator or another version would.</summary>
    protected abstract Task ExecuteBehindTheStoreAsync(ISweepStore store, string sql);

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigratingAnUpToDateStoreChangesNothing()
    {
        await SubmitAsync("s1", 3.0);
        var before = await Store.ListSweepsAsync();

        await Store.MigrateAsync();

        var after = await Store.ListSweepsAsync();
        Assert.Equal(before, after);
        Assert.Equal(1, (await Store.GetProgressAsync("s1")).UnitsPending);
    }

    [Fact]
    public async Task AStoreWithANewerSchemaIsRefused()
    {
        await RecordNewerSchemaVersionAsync(Store);

        // Writing rows a newer schema may read differently could corrupt the newer program's sweeps.
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => Store.MigrateAsync());
        Assert.True(e.DatabaseVersion > e.KnownVersion, e.Message);
    }

    [Fact]
    public async Task SubmittingTheSameSweepTwiceAddsNothing()
    {
        var cells = Some.UnitCells(1).Concat(Some.UnitCells(2)).ToList();
        var sweep = Some.Sweep("s1", cells);
        UnitDefinition[] units = [Some.Unit("s1", cells.Take(2), 1.0), Some.Unit("s1", cells.Skip(2), 2.0)];

        var first = await Store.SubmitAsync(sweep, units);
        var second = await Store.SubmitAsync(sweep, units);

        Assert.Equal(new SubmitOutcome(NewSweep: true, NewCells: 4, NewUnits: 2, TotalCells: 4), first);
        Assert.Equal(new SubmitOutcome(NewSweep: false, NewCells: 0, NewUnits: 0, TotalCells: 4), second);
        Assert.Equal(2, (await Store.GetUnitsAsync("s1")).Count);
        Assert.Equal(2, (await Store.GetEventsAsync("s1")).Count(e => e.Kind == JournalEventKinds.SweepSubmitted));
    }

    [Fact]
    public async Task SubmittingAnEditedGridAddsOnlyItsNewCellsAndUnits()
    {
        var oldCells = Some.UnitCells(1);
        await Store.SubmitAsync(Some.Sweep("s1", oldCells), [Some.Unit("s1", oldCells, 1.0)]);
        var newCells = Some.UnitCells(2);
        var edited = Some.Sweep("s1", oldCells.Concat(newCells));

        var outcome = await Store.SubmitAsync(edited, [Some.Unit("s1", oldCells, 1.0), Some.Unit("s1", newCells, 1.0)]);

        Assert.Equal(new SubmitOutcome(NewSweep: false, NewCells: 2, NewUnits: 1, TotalCells: 4), outcome);
        var info = Assert.Single(await Store.ListSweepsAsync());
        Assert.Equal(edited.GridHash, info.GridHash);
        Assert.Equal(edited.GridText, info.GridText);
    }

    [Fact]
    public async Task CellsAreSharedBetweenSweepsAndComputedOnce()
    {
        var shared = Some.UnitCells(1);
        var onlyB = Some.UnitCells(2);
        await Store.SubmitAsync(Some.Sweep("a", shared), [Some.Unit("a", shared, 1.0)]);

        var b = await Store.SubmitAsync(Some.Sweep("b", shared.Concat(onlyB)), [Some.Unit("b", shared, 1.0), Some.Unit("b", onlyB, 1.0)]);

        // The shared cells were already in the store: only sweep b's own cells are new.
        Assert.Equal(new SubmitOutcome(NewSweep: true, NewCells: 2, NewUnits: 2, TotalCells: 4), b);
        var unit = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease, sweepId: "a"));
        await Store.CompleteAsync(unit.Lease, Some.Results(unit));

        var completed = await Store.FindCompletedCellsAsync(shared.Concat(onlyB).Select(c => c.Id).ToList());
        Assert.Equal(shared.Select(c => c.Id).ToHashSet(), completed);
        var cellsOfB = await Store.GetCellsAsync("b");
        Assert.Equal(2, cellsOfB.Count(c => c.Result is not null));
        Assert.Equal(2, (await Store.GetProgressAsync("b")).CellsDone);
    }

    [Fact]
    public async Task FindingCompletedCellsOfNothingFindsNothing()
    {
        Assert.Empty(await Store.FindCompletedCellsAsync([]));
        Assert.Empty(await Store.FindCompletedCellsAsync(["no-such-cell"]));
    }

    [Fact]
    public async Task SpectraAreKeptByContentHash()
    {
        var cells = Some.UnitCells(1);
        var spectra = new Dictionary<string, string> { ["abc123"] = "1.0\n0.5\n0.25\n" };
        await Store.SubmitAsync(Some.Sweep("s1", cells, spectra), [Some.Unit("s1", cells, 1.0)]);

        Assert.Equal("1.0\n0.5\n0.25\n", await Store.GetSpectrumAsync("abc123"));
        Assert.Null(await Store.GetSpectrumAsync("unknown"));
    }

    [Fact]
    public async Task ClaimsHandOutTheMostExpensiveUnitsFirst()
    {
        var units = await SubmitAsync("s1", 1.0, 5.0, 3.0, 5.0);

        var claimed = await Store.ClaimAsync(NodeA, 3, LongLease);

        // Most expensive first cuts the tail of the sweep; equal costs go by unit id so the order is reproducible.
        var expected = units.OrderByDescending(u => u.Cost).ThenBy(u => u.Id, StringComparer.Ordinal).Take(3).Select(u => u.Id);
        Assert.Equal(expected, claimed.Select(c => c.Lease.UnitId));
        Assert.All(claimed, c => Assert.Equal(new UnitLease(c.Lease.UnitId, NodeA, 1), c.Lease));
    }

    [Fact]
    public async Task AClaimCarriesEverythingNeededToComputeTheUnit()
    {
        var cells = Some.UnitCells(7);
        var unit = Some.Unit("s1", cells, 2.5);
        await Store.SubmitAsync(Some.Sweep("s1", cells), [unit]);

        var claimed = Assert.Single(await Store.ClaimAsync(NodeA, 10, LongLease));

        Assert.Equal("s1", claimed.SweepId);
        Assert.Equal(UnitKind.Simulation, claimed.Kind);
        Assert.Equal(2.5, claimed.Cost);
        Assert.Equal(cells.OrderBy(c => c.Id, StringComparer.Ordinal).ToList(), claimed.Cells.ToList(), CellComparer.Instance);
    }

    [Fact]
    public async Task ClaimsCanBeLimitedToOneSweep()
    {
        await SubmitAsync("a", 9.0);
        var b = await SubmitAsync("b", 1.0);

        var claimed = Assert.Single(await Store.ClaimAsync(NodeA, 10, LongLease, sweepId: "b"));

        Assert.Equal(b[0].Id, claimed.Lease.UnitId);
    }

    [Fact]
    public async Task AClaimedUnitIsNotClaimedAgainUntilItsLeaseExpires()
    {
        await SubmitAsync("s1", 1.0);
        var first = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));

        Assert.Empty(await Store.ClaimAsync(NodeB, 1, LongLease));
        await WaitPastShortLeaseAsync();
        var second = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        // The attempt grows with every claim: it is the fencing token that tells the two leases apart.
        Assert.Equal(first.Lease.UnitId, second.Lease.UnitId);
        Assert.Equal(new UnitLease(first.Lease.UnitId, NodeB, 2), second.Lease);
        var events = await Store.GetEventsAsync("s1");
        var expired = Assert.Single(events, e => e.Kind == JournalEventKinds.LeaseExpired);
        Assert.Equal((NodeA, 1), (expired.NodeId, expired.Attempt));
    }

    [Fact]
    public async Task AnOlderLeaseOfTheSameNodeIsFencedOffByItsAttempt()
    {
        await SubmitAsync("s1", 1.0);
        var old = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var current = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        // Same unit, same node: only the attempt tells the stale computation from the live one.
        Assert.Equal((old.Lease.UnitId, 2), (current.Lease.UnitId, current.Lease.Attempt));
        Assert.False(await Store.ReleaseAsync(old.Lease, "stale", TimeSpan.Zero, maxAttempts: 1));
        Assert.Equal([old.Lease.UnitId], await Store.HeartbeatAsync(NodeA, [old.Lease], LongLease));
        Assert.Equal(CompletionStatus.CompletedAfterLeaseLoss, (await Store.CompleteAsync(old.Lease, Some.Results(old))).Status);
        Assert.Equal(CompletionStatus.AlreadyDone, (await Store.CompleteAsync(current.Lease, Some.Results(current))).Status);
    }

    [Fact]
    public async Task CompletingWritesEachResultOnce()
    {
        await SubmitAsync("s1", 1.0);
        var unit = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        var first = await Store.CompleteAsync(unit.Lease, Some.Results(unit, loss: 1.0));
        // The same completion again, as a worker does when it cannot tell whether its commit went through.
        var again = await Store.CompleteAsync(unit.Lease, Some.Results(unit, loss: 1.0));

        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 0), first);
        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), again);
        var cells = await Store.GetCellsAsync("s1");
        Assert.All(cells, c => Assert.Equal(Some.Result(c.Cell.Id, loss: 1.0), c.Result));
        Assert.Empty(await Store.GetNonDeterminismAsync("s1"));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 2, 2), (progress.UnitsDone, progress.CellsDone, progress.CellsTotal));
    }

    [Fact]
    public async Task ACompletionAfterTheLeaseWasTakenOverIsAcceptedWhileNobodyFinishedTheUnit()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        var late = await Store.CompleteAsync(a.Lease, Some.Results(a));
        var duplicate = await Store.CompleteAsync(b.Lease, Some.Results(b));

        // The late results are as good as anyone's (cells are deterministic), so they are kept and the unit is
        // done; the new holder's identical results are then a duplicate, not a mismatch.
        Assert.Equal(new CompletionOutcome(CompletionStatus.CompletedAfterLeaseLoss, 2, 0), late);
        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), duplicate);
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal(UnitStates.Done, record.State);
        var kinds = (await Store.GetEventsAsync("s1")).Select(e => e.Kind).ToList();
        Assert.Contains(JournalEventKinds.UnitCompletedLate, kinds);
        Assert.Contains(JournalEventKinds.UnitDuplicate, kinds);
    }

    [Fact]
    public async Task ACompletionAfterTheNewHolderFinishedIsADuplicate()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        var byB = await Store.CompleteAsync(b.Lease, Some.Results(b));
        var byA = await Store.CompleteAsync(a.Lease, Some.Results(a));

        Assert.Equal(CompletionStatus.Completed, byB.Status);
        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), byA);
        Assert.Equal(NodeB, Assert.Single(await Store.GetUnitsAsync("s1")).Owner);
    }

    [Fact]
    public async Task ALateCompletionOfAUnitThatFailedMeanwhileKeepsItsResultsAndFinishesIt()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));
        await Store.ReleaseAsync(b.Lease, "b crashed", TimeSpan.Zero, maxAttempts: 2);

        var late = await Store.CompleteAsync(a.Lease, Some.Results(a));

        // The work is done and its results are stored: leaving the unit failed would only make
        // retry-failed queue it again for nothing.
        Assert.Equal(new CompletionOutcome(CompletionStatus.CompletedAfterLeaseLoss, 2, 0), late);
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeA), (record.State, record.Owner));
    }

    [Fact]
    public async Task ASecondResultThatDiffersIsRecordedAsNonDeterminism()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a, loss: 1.0));

        var second = await Store.CompleteAsync(a.Lease, Some.Results(a, loss: 2.0));

        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 2), second);
        var records = await Store.GetNonDeterminismAsync("s1");
        Assert.Equal(a.Cells.Select(c => c.Id).Order(StringComparer.Ordinal), records.Select(r => r.CellId).Order(StringComparer.Ordinal));
        Assert.All(records, r =>
        {
            Assert.Equal(a.Lease.UnitId, r.UnitId);
            Assert.Equal(Some.Metrics(1.0), r.FirstMetricsJson);
            Assert.Equal(Some.Metrics(2.0), r.SecondMetricsJson);
            Assert.True(r.At > 0);
        });

        // The first result stays the accepted one.
        Assert.All(await Store.GetCellsAsync("s1"), c => Assert.Equal(Some.Metrics(1.0), c.Result!.MetricsJson));
        Assert.Equal(2, (await Store.GetEventsAsync("s1")).Count(e => e.Kind == JournalEventKinds.NonDeterminism));
    }

    [Fact]
    public async Task ASecondResultThatDiffersOnlyInStatusIsNonDeterminismToo()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a));

        var second = await Store.CompleteAsync(a.Lease, Some.Results(a, status: ResultStatus.NumericalFailure));

        Assert.Equal(2, second.Mismatches);
        Assert.Equal(2, (await Store.GetNonDeterminismAsync("s1")).Count);
    }

    [Fact]
    public async Task ANumericalFailureIsAResultLikeAnyOther()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        var outcome = await Store.CompleteAsync(a.Lease, Some.Results(a, status: ResultStatus.NumericalFailure));

        Assert.Equal(CompletionStatus.Completed, outcome.Status);
        Assert.All(await Store.GetCellsAsync("s1"), c =>
        {
            Assert.Equal(ResultStatus.NumericalFailure, c.Result!.Status);
            Assert.Equal("diverged", c.Result.Message);
        });
    }

    [Fact]
    public async Task AResultForACellOutsideTheUnitIsRefusedAndNothingIsWritten()
    {
        await SubmitAsync("s1", 1.0, 2.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        var other = (await Store.GetCellsAsync("s1")).Select(c => c.Cell.Id).First(id => a.Cells.All(c => c.Id != id));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteAsync(a.Lease, [.. Some.Results(a), Some.Result(other)]));

        Assert.Empty(await Store.FindCompletedCellsAsync((await Store.GetCellsAsync("s1")).Select(c => c.Cell.Id).ToList()));
        Assert.Equal(1, (await Store.GetProgressAsync("s1")).UnitsLeased);
    }

    [Fact]
    public async Task AReleasedUnitIsClaimableAgainAfterTheRetryDelay()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        Assert.True(await Store.ReleaseAsync(a.Lease, "out of memory", TimeSpan.FromMilliseconds(300), maxAttempts: 3));

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Pending, "out of memory"), (record.State, record.LastError));
        Assert.Empty(await Store.ClaimAsync(NodeB, 1, LongLease));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var again = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));
        Assert.Equal(2, again.Lease.Attempt);
        Assert.Contains(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitReleased && e.Attempt == 1);
    }

    [Fact]
    public async Task AReleaseAtTheAttemptLimitFailsTheUnit()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        Assert.True(await Store.ReleaseAsync(a.Lease, "boom", TimeSpan.Zero, maxAttempts: 1));

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Failed, "boom", 1), (record.State, record.LastError, record.Attempts));
        Assert.Empty(await Store.ClaimAsync(NodeB, 1, LongLease));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((0, 0, 1), (progress.UnitsPending, progress.UnitsLeased, progress.UnitsFailed));
        Assert.True(progress.IsComplete);
        Assert.Contains(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitFailed && e.Detail == "boom");
    }

    [Fact]
    public async Task AnUnstartedUnitGoesBackAtOnceWithoutUsingAnAttempt()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        Assert.True(await Store.ReturnUnstartedAsync(a.Lease, "worker draining"));
        Assert.False(await Store.ReturnUnstartedAsync(a.Lease, "twice"));

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Pending, (string?)null, 1), (record.State, record.Owner, record.Attempts));
        Assert.Contains(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitReleased && e.Attempt == 1 && e.Detail == "unstarted: worker draining");

        // Claimable at once, with a fresh fencing token and the whole budget: with a limit of two attempts the
        // unit fails at the second real failure, not at the first (which would be the second claim).
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));
        Assert.Equal(2, b.Lease.Attempt);
        Assert.True(await Store.ReleaseAsync(b.Lease, "boom", TimeSpan.Zero, maxAttempts: 2));
        Assert.Equal(UnitStates.Pending, Assert.Single(await Store.GetUnitsAsync("s1")).State);
        var c = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        Assert.True(await Store.ReleaseAsync(c.Lease, "boom again", TimeSpan.Zero, maxAttempts: 2));
        Assert.Equal(UnitStates.Failed, Assert.Single(await Store.GetUnitsAsync("s1")).State);
    }

    [Fact]
    public async Task ReturningAnUnstartedUnitByALeaseThatWasTakenOverChangesNothing()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        Assert.False(await Store.ReturnUnstartedAsync(a.Lease, "late"));

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Leased, NodeB, 2), (record.State, record.Owner, record.Attempts));
        Assert.Equal(CompletionStatus.Completed, (await Store.CompleteAsync(b.Lease, Some.Results(b))).Status);
    }

    [Fact]
    public async Task AReleaseByALeaseThatWasTakenOverChangesNothing()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));
        await WaitPastShortLeaseAsync();
        var b = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        Assert.False(await Store.ReleaseAsync(a.Lease, "late failure", TimeSpan.Zero, maxAttempts: 1));

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Leased, NodeB, 2), (record.State, record.Owner, record.Attempts));
        Assert.True(await Store.ReleaseAsync(b.Lease, "b failed", TimeSpan.Zero, maxAttempts: 5));
    }

    [Fact]
    public async Task RetryFailedRequeuesFailedUnitsWithAFreshAttemptBudget()
    {
        await SubmitAsync("s1", 1.0, 2.0);
        foreach (var unit in await Store.ClaimAsync(NodeA, 2, LongLease))
        {
            await Store.ReleaseAsync(unit.Lease, "boom", TimeSpan.Zero, maxAttempts: 1);
        }

        Assert.Equal(2, await Store.RetryFailedAsync("s1"));
        Assert.Equal(0, await Store.RetryFailedAsync("s1"));

        var again = await Store.ClaimAsync(NodeB, 2, LongLease);
        Assert.Equal(2, again.Count);

        // The attempt keeps counting (a fencing token must never repeat), but the limit counts from the retry.
        Assert.All(again, u => Assert.Equal(2, u.Lease.Attempt));
        Assert.True(await Store.ReleaseAsync(again[0].Lease, "again", TimeSpan.Zero, maxAttempts: 2));
        Assert.Equal(UnitStates.Pending, (await Store.GetUnitsAsync("s1")).Single(u => u.UnitId == again[0].Lease.UnitId).State);
        Assert.Contains(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitsRequeued);
    }

    [Fact]
    public async Task HeartbeatsExtendLeases()
    {
        await SubmitAsync("s1", 1.0);
        await Store.RegisterNodeAsync(Some.Node(NodeA));
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, ShortLease));

        var lost = await Store.HeartbeatAsync(NodeA, [a.Lease], LongLease);
        await WaitPastShortLeaseAsync();

        Assert.Empty(lost);
        Assert.Empty(await Store.ClaimAsync(NodeB, 1, LongLease));
        Assert.Equal(0, (await Store.GetProgressAsync("s1")).LeasesExpired);
    }

    [Fact]
    public async Task HeartbeatsReportTheLeasesANodeHasLost()
    {
        await SubmitAsync("s1", 2.0, 1.0);
        var held = await Store.ClaimAsync(NodeA, 2, ShortLease);
        await WaitPastShortLeaseAsync();
        var takenOver = Assert.Single(await Store.ClaimAsync(NodeB, 1, LongLease));

        var lost = await Store.HeartbeatAsync(NodeA, held.Select(u => u.Lease).ToList(), LongLease);

        // The other lease expired too, but nobody took it: it is still node A's and is renewed.
        Assert.Equal([takenOver.Lease.UnitId], lost);
        Assert.Empty(await Store.ClaimAsync(NodeB, 1, LongLease));
    }

    [Fact]
    public async Task AFinishedUnitIsALostLeaseForAHeartbeat()
    {
        await SubmitAsync("s1", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a));

        Assert.Equal([a.Lease.UnitId], await Store.HeartbeatAsync(NodeA, [a.Lease], LongLease));
    }

    [Fact]
    public async Task ReleasingANodeFreesItsLeasesAndStopsIt()
    {
        await SubmitAsync("s1", 1.0, 2.0);
        await Store.RegisterNodeAsync(Some.Node(NodeA));
        var held = await Store.ClaimAsync(NodeA, 2, LongLease);

        await Store.ReleaseNodeAsync(NodeA);

        var again = await Store.ClaimAsync(NodeB, 2, LongLease);
        Assert.Equal(held.Select(u => u.Lease.UnitId).Order(StringComparer.Ordinal), again.Select(u => u.Lease.UnitId).Order(StringComparer.Ordinal));
        Assert.All(again, u => Assert.Equal(2, u.Lease.Attempt));
        var node = Assert.Single(await Store.ListNodesAsync(LongLease));
        Assert.True(node.Stopped);
        Assert.False(node.Alive);
        Assert.Equal(2, (await Store.HeartbeatAsync(NodeA, held.Select(u => u.Lease).ToList(), LongLease)).Count);
    }

    [Fact]
    public async Task NodesShowTheirLivenessAndWhatTheyComputed()
    {
        await SubmitAsync("s1", 1.0);
        await Store.RegisterNodeAsync(Some.Node(NodeA, slots: 6));
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a));
        await Store.HeartbeatAsync(NodeA, [], LongLease);

        var node = Assert.Single(await Store.ListNodesAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal((NodeA, "test-host", "worker", 6), (node.NodeId, node.Host, node.Role, node.Slots));
        Assert.True(node.Alive);
        Assert.False(node.Stopped);
        Assert.Equal((1, 2), (node.UnitsDone, node.CellsDone));
        Assert.True(node.LastHeartbeat >= node.StartedAt);
        await Task.Delay(50);
        Assert.False(Assert.Single(await Store.ListNodesAsync(TimeSpan.FromMilliseconds(10))).Alive);
    }

    [Fact]
    public async Task ProgressCountsUnitsByStateAndCellsWithResults()
    {
        await SubmitAsync("s1", 4.0, 3.0, 2.0, 1.0);
        var done = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(done.Lease, Some.Results(done));
        var failed = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.ReleaseAsync(failed.Lease, "boom", TimeSpan.Zero, maxAttempts: 1);
        Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        var progress = await Store.GetProgressAsync("s1");

        Assert.Equal(
            new SweepProgress("s1", UnitsPending: 1, UnitsLeased: 1, UnitsDone: 1, UnitsFailed: 1, CellsTotal: 8, CellsDone: 2, LeasesExpired: 0, progress.DatabaseTime),
            progress);
        Assert.Equal(4, progress.UnitsTotal);
        Assert.False(progress.IsComplete);
    }

    [Fact]
    public async Task ProgressCountsExpiredLeases()
    {
        await SubmitAsync("s1", 1.0, 2.0);
        await Store.ClaimAsync(NodeA, 1, ShortLease);
        await Store.ClaimAsync(NodeA, 1, LongLease);
        await WaitPastShortLeaseAsync();

        var progress = await Store.GetProgressAsync("s1");

        Assert.Equal((2, 1), (progress.UnitsLeased, progress.LeasesExpired));
    }

    [Fact]
    public async Task TheDatabaseTimeIsSecondsSinceTheEpoch()
    {
        await SubmitAsync("s1", 1.0);

        double databaseTime = (await Store.GetProgressAsync("s1")).DatabaseTime;

        // Same machine in the tests, so the clocks agree to well within a minute.
        double local = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(databaseTime, local - 60, local + 60);
    }

    [Fact]
    public async Task ProgressOfAnUnknownSweepIsAnError()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetProgressAsync("nope"));
    }

    [Fact]
    public async Task ConcurrentClaimsNeverHandAUnitToTwoOwners()
    {
        const int Units = 120;
        await SubmitAsync("s1", Enumerable.Range(0, Units).Select(i => (double)(i % 7)).ToArray());
        var claims = new ConcurrentBag<(string UnitId, string NodeId)>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            string node = $"node-{worker}";
            while (true)
            {
                var batch = await Store.ClaimAsync(node, 3, LongLease);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var unit in batch)
                {
                    claims.Add((unit.Lease.UnitId, node));
                    var outcome = await Store.CompleteAsync(unit.Lease, Some.Results(unit));
                    Assert.Equal(CompletionStatus.Completed, outcome.Status);
                }
            }
        })));

        Assert.Equal(Units, claims.Count);
        Assert.Equal(Units, claims.Select(c => c.UnitId).Distinct().Count());
        Assert.True((await Store.GetProgressAsync("s1")).IsComplete);
        Assert.Equal(Units, (await Store.GetProgressAsync("s1")).UnitsDone);
    }

    [Fact]
    public async Task CellsComeBackOrderedByIdWithTheirResults()
    {
        await SubmitAsync("s1", 3.0, 2.0, 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a, loss: 0.5));

        var cells = await Store.GetCellsAsync("s1");

        Assert.Equal(6, cells.Count);
        Assert.Equal(cells.Select(c => c.Cell.Id).Order(StringComparer.Ordinal), cells.Select(c => c.Cell.Id));
        var computed = a.Cells.Select(c => c.Id).ToHashSet();
        Assert.All(cells, c => Assert.Equal(computed.Contains(c.Cell.Id) ? Some.Result(c.Cell.Id, 0.5) : null, c.Result));
        Assert.All(cells, c => Assert.Equal(CellParameters.Parse(c.Cell.CanonicalParameters).Id, c.Cell.Id));
    }

    [Fact]
    public async Task UnitsShowWhoComputedThemAndHowOften()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a));

        var records = await Store.GetUnitsAsync("s1");

        Assert.Equal(units.Select(u => u.Id).Order(StringComparer.Ordinal), records.Select(r => r.UnitId));
        var done = records.Single(r => r.UnitId == a.Lease.UnitId);
        Assert.Equal((UnitStates.Done, NodeA, 1, 2, 2.0, UnitKind.Simulation), (done.State, done.Owner, done.Attempts, done.Cells, done.Cost, done.Kind));
        Assert.NotNull(done.StartedAt);
        Assert.True(done.FinishedAt >= done.StartedAt);
        var pending = records.Single(r => r.UnitId != a.Lease.UnitId);
        Assert.Equal((UnitStates.Pending, null, 0), (pending.State, pending.Owner, pending.Attempts));
        Assert.Null(pending.StartedAt);
        Assert.All(records, r => Assert.Contains(r.State, UnitStates.All));
    }

    [Fact]
    public async Task ASweepIsMarkedFinishedOnceAndOnlyWhenNoWorkIsLeft()
    {
        await SubmitAsync("s1", 1.0);
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));
        await Store.CompleteAsync(a.Lease, Some.Results(a));

        Assert.True(await Store.MarkSweepFinishedAsync("s1"));
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));

        Assert.True(Assert.Single(await Store.ListSweepsAsync()).Finished);
        Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.SweepFinished);
    }

    [Fact]
    public async Task SweepsAreListedNewestFirstWithTheirSize()
    {
        await SubmitAsync("older", 1.0);
        await Task.Delay(20);
        await SubmitAsync("newer", 1.0, 2.0);

        var sweeps = await Store.ListSweepsAsync();

        Assert.Equal(["newer", "older"], sweeps.Select(s => s.Id));
        Assert.Equal((4, 2, false), (sweeps[0].Cells, sweeps[0].Units, sweeps[0].Finished));
        Assert.True(sweeps[0].CreatedAt > sweeps[1].CreatedAt);
    }

    [Fact]
    public async Task TheJournalKeepsASweepsEventsInOrder()
    {
        await SubmitAsync("s1", 1.0);
        await SubmitAsync("other", 1.0);
        var a = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease, sweepId: "s1"));
        await Store.CompleteAsync(a.Lease, Some.Results(a));
        await Store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeDead, "s1", null, NodeB, null, "no heartbeat for 60 s"));

        var events = await Store.GetEventsAsync("s1");

        Assert.Equal(
            [JournalEventKinds.SweepSubmitted, JournalEventKinds.UnitClaimed, JournalEventKinds.UnitCompleted, JournalEventKinds.NodeDead],
            events.Select(e => e.Kind));
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal(events.Count, events.Select(e => e.Sequence).Distinct().Count());
        Assert.All(events, e => Assert.True(e.At > 0));
        Assert.Equal((a.Lease.UnitId, NodeA, 1), (events[2].UnitId, events[2].NodeId, events[2].Attempt));
        Assert.Equal((NodeB, "no heartbeat for 60 s"), (events[3].NodeId, events[3].Detail));
    }

    [Fact]
    public async Task FiveHundredUnitsCanBeSubmittedClaimedAndCompleted()
    {
        const int Units = 500;
        var cells = Enumerable.Range(0, Units).Select(i => Some.SimulationCell(10_000 + i)).ToList();
        var units = cells.Select((c, i) => Some.Unit("big", [c], i % 13)).ToList();
        var submitted = await Store.SubmitAsync(Some.Sweep("big", cells), units);
        Assert.Equal(new SubmitOutcome(true, Units, Units, Units), submitted);

        int completed = 0;
        while (await Store.ClaimAsync(NodeA, 50, LongLease) is { Count: > 0 } batch)
        {
            foreach (var unit in batch)
            {
                Assert.Equal(CompletionStatus.Completed, (await Store.CompleteAsync(unit.Lease, Some.Results(unit))).Status);
                completed++;
            }
        }

        Assert.Equal(Units, completed);
        var progress = await Store.GetProgressAsync("big");
        Assert.Equal((Units, Units, true), (progress.UnitsDone, progress.CellsDone, progress.IsComplete));
    }

    [Fact]
    public async Task LoadingUnitsGivesTheirCellsAndWhetherTheyAreDone()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0, 3.0);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeA, 1), ResultsOf(units[1]));

        var loaded = await Store.LoadUnitsAsync([units[1].Id, "no-such-unit", units[0].Id]);

        // In the order asked for; the unknown id is left out and the third unit was not asked for.
        Assert.Equal([units[1].Id, units[0].Id], loaded.Select(u => u.UnitId));
        Assert.Equal([true, false], loaded.Select(u => u.Done));
        Assert.All(loaded.Zip([units[1], units[0]]), pair =>
        {
            var (unit, expected) = pair;
            Assert.Equal(("s1", UnitKind.Simulation, expected.Cost), (unit.SweepId, unit.Kind, unit.Cost));
            Assert.Equal(expected.CellIds.Order(StringComparer.Ordinal), unit.Cells.Select(c => c.Id));
            Assert.All(unit.Cells, c => Assert.Equal(c.Id, CellParameters.Parse(c.CanonicalParameters).Id));
        });
    }

    [Fact]
    public async Task LoadingNoUnitsOrUnknownOnesFindsNothing()
    {
        await SubmitAsync("s1", 1.0);

        Assert.Empty(await Store.LoadUnitsAsync([]));
        Assert.Empty(await Store.LoadUnitsAsync(["no-such-unit", "nor-this-one"]));
    }

    [Fact]
    public async Task LoadingAUnitTwiceInOneCallGivesItOnce()
    {
        var units = await SubmitAsync("s1", 1.0);

        var loaded = await Store.LoadUnitsAsync([units[0].Id, units[0].Id]);

        Assert.Equal([units[0].Id], loaded.Select(u => u.UnitId));
        Assert.Equal(2, loaded[0].Cells.Count);
    }

    [Fact]
    public async Task LoadingAUnitWhoseCellsCannotBeRebuiltFailsItUnlessItIsDone()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[2].Id, NodeA, 1), ResultsOf(units[2]));

        // As if written by another model version.
        foreach (var unit in new[] { units[0], units[2] })
        {
            await ExecuteBehindTheStoreAsync(Store, $"UPDATE cells SET params = replace(params, '\"d\":4', '\"d\":5') WHERE id = '{unit.CellIds[0]}'");
        }

        var loaded = await Store.LoadUnitsAsync(units.Select(u => u.Id).ToList());

        Assert.Equal([units[1].Id], loaded.Select(u => u.UnitId));
        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal(UnitStates.Failed, records[units[0].Id].State);
        Assert.Contains(units[0].CellIds[0], records[units[0].Id].LastError, StringComparison.Ordinal);

        // Its results are stored: done stays done.
        Assert.Equal((UnitStates.Done, null), (records[units[2].Id].State, records[units[2].Id].LastError));
        Assert.Equal(UnitStates.Pending, records[units[1].Id].State);
        var failed = Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitFailed);
        Assert.Equal(units[0].Id, failed.UnitId);
    }

    [Fact]
    public async Task CommittingAHandedOutUnitThatWasNeverLeasedWritesItsResultsAndMarksItDone()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        await Store.RegisterNodeAsync(Some.Node(NodeB));
        var handOut = new UnitLease(units[0].Id, NodeB, 3);

        // The coordinator hands units out itself: the store sees a pending unit and a commit, never a claim.
        var outcome = await Store.CommitUnitAsync(handOut, ResultsOf(units[0], loss: 0.5));

        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 0), outcome);
        var record = (await Store.GetUnitsAsync("s1")).Single(r => r.UnitId == units[0].Id);
        Assert.Equal((UnitStates.Done, NodeB, 3, null), (record.State, record.Owner, record.Attempts, record.LastError));
        Assert.NotNull(record.StartedAt);
        Assert.True(record.FinishedAt >= record.StartedAt);
        var cells = (await Store.GetCellsAsync("s1")).Where(c => units[0].CellIds.Contains(c.Cell.Id)).ToList();
        Assert.Equal(2, cells.Count);
        Assert.All(cells, c => Assert.Equal(Some.Result(c.Cell.Id, loss: 0.5), c.Result));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 1, 0, 2), (progress.UnitsDone, progress.UnitsPending, progress.UnitsLeased, progress.CellsDone));
        var node = Assert.Single(await Store.ListNodesAsync(LongLease));
        Assert.Equal((1, 2), (node.UnitsDone, node.CellsDone));
        var completed = Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitCompleted);
        Assert.Equal((units[0].Id, NodeB, 3), (completed.UnitId, completed.NodeId, completed.Attempt));

        // Done units are never claimed again.
        var claimed = Assert.Single(await Store.ClaimAsync(NodeA, 10, LongLease));
        Assert.Equal(units[1].Id, claimed.Lease.UnitId);
    }

    [Fact]
    public async Task ASecondIdenticalCommitIsADuplicate()
    {
        var units = await SubmitAsync("s1", 1.0);
        var handOut = new UnitLease(units[0].Id, NodeA, 1);
        await Store.CommitUnitAsync(handOut, ResultsOf(units[0]));

        // Sent again, as a worker does when its reply was lost, or computed again by another worker.
        var again = await Store.CommitUnitAsync(handOut with { NodeId = NodeB, Attempt = 2 }, ResultsOf(units[0]));

        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), again);
        Assert.Empty(await Store.GetNonDeterminismAsync("s1"));
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeA, 1), (record.State, record.Owner, record.Attempts));
        var duplicate = Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitDuplicate);
        Assert.Equal((NodeB, 2), (duplicate.NodeId, duplicate.Attempt));
    }

    [Fact]
    public async Task ACommitWhoseResultsDifferIsRecordedAsNonDeterminism()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), ResultsOf(units[0], loss: 1.0));

        var second = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), ResultsOf(units[0], loss: 2.0));

        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 2), second);
        var records = await Store.GetNonDeterminismAsync("s1");
        Assert.Equal(units[0].CellIds.Order(StringComparer.Ordinal), records.Select(r => r.CellId).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal((units[0].Id, Some.Metrics(1.0), Some.Metrics(2.0)), (r.UnitId, r.FirstMetricsJson, r.SecondMetricsJson)));
        Assert.All(await Store.GetCellsAsync("s1"), c => Assert.Equal(Some.Metrics(1.0), c.Result!.MetricsJson));
        Assert.Equal(2, (await Store.GetEventsAsync("s1")).Count(e => e.Kind == JournalEventKinds.NonDeterminism));
    }

    [Fact]
    public async Task ACommitWithAResultForAnotherUnitsCellIsRefusedAndWritesNothing()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        var results = ResultsOf(units[0]).Append(Some.Result(units[1].CellIds[0])).ToList();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), results));

        Assert.Contains(units[1].CellIds[0], e.Message, StringComparison.Ordinal);
        Assert.All(await Store.GetUnitsAsync("s1"), r => Assert.Equal(UnitStates.Pending, r.State));
        Assert.Empty(await Store.FindCompletedCellsAsync(units.SelectMany(u => u.CellIds).ToList()));
    }

    [Fact]
    public async Task ACommitOfAnUnknownUnitIsRefused()
    {
        var units = await SubmitAsync("s1", 1.0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitUnitAsync(new UnitLease("no-such-unit", NodeA, 1), ResultsOf(units[0])));
        Assert.Equal(UnitStates.Pending, Assert.Single(await Store.GetUnitsAsync("s1")).State);
    }

    [Fact]
    public async Task ACommitTakesALeasedUnitFromItsHolderAndNeverLowersItsAttempt()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        Assert.Equal(2, (await Store.ClaimAsync(NodeA, 2, ShortLease)).Count);
        await WaitPastShortLeaseAsync();
        var reclaimed = await Store.ClaimAsync(NodeA, 2, LongLease);
        Assert.All(reclaimed, u => Assert.Equal(2, u.Lease.Attempt));

        // The coordinator fences its hand-outs itself; the store records who computed the unit and keeps the
        // highest attempt, so a fencing token it handed out never comes back.
        var lower = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 1), ResultsOf(units[0]));
        var higher = await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeB, 7), ResultsOf(units[1]));

        Assert.Equal((CompletionStatus.Completed, CompletionStatus.Completed), (lower.Status, higher.Status));
        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Done, NodeB, 2), (records[units[0].Id].State, records[units[0].Id].Owner, records[units[0].Id].Attempts));
        Assert.Equal((UnitStates.Done, NodeB, 7), (records[units[1].Id].State, records[units[1].Id].Owner, records[units[1].Id].Attempts));
        Assert.Equal(2, (await Store.HeartbeatAsync(NodeA, reclaimed.Select(u => u.Lease).ToList(), LongLease)).Count);
        Assert.Equal(0, (await Store.GetProgressAsync("s1")).UnitsLeased);
    }

    [Fact]
    public async Task MarkingAUnitFailedRecordsTheReasonOnce()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        var handOut = new UnitLease(units[0].Id, NodeB, 4);

        await Store.MarkUnitFailedAsync(handOut, "failed on 4 workers");
        // Said again (a retried message) and with another reason: the first decision stands, journaled once.
        await Store.MarkUnitFailedAsync(handOut, "failed on 4 workers");
        await Store.MarkUnitFailedAsync(handOut with { Attempt = 5 }, "another reason");

        var record = (await Store.GetUnitsAsync("s1")).Single(r => r.UnitId == units[0].Id);
        Assert.Equal((UnitStates.Failed, "failed on 4 workers", null, 4), (record.State, record.LastError, record.Owner, record.Attempts));
        Assert.NotNull(record.FinishedAt);
        var failed = Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitFailed);
        Assert.Equal((units[0].Id, NodeB, 4, "failed on 4 workers"), (failed.UnitId, failed.NodeId, failed.Attempt, failed.Detail));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 1), (progress.UnitsFailed, progress.UnitsPending));

        // Failed units are not claimed, until retry-failed gives them a fresh budget.
        Assert.Equal(units[1].Id, Assert.Single(await Store.ClaimAsync(NodeA, 10, LongLease)).Lease.UnitId);
        Assert.Equal(1, await Store.RetryFailedAsync("s1"));
    }

    [Fact]
    public async Task MarkingALeasedUnitFailedEndsItsLease()
    {
        var units = await SubmitAsync("s1", 1.0);
        var held = Assert.Single(await Store.ClaimAsync(NodeA, 1, LongLease));

        await Store.MarkUnitFailedAsync(new UnitLease(units[0].Id, NodeB, 1), "given up");

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Failed, null, 1, "given up"), (record.State, record.Owner, record.Attempts, record.LastError));
        Assert.Equal([held.Lease.UnitId], await Store.HeartbeatAsync(NodeA, [held.Lease], LongLease));
    }

    [Fact]
    public async Task MarkingADoneUnitFailedLeavesItDone()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), ResultsOf(units[0]));

        await Store.MarkUnitFailedAsync(new UnitLease(units[0].Id, NodeB, 2), "too late");

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeA, 1, null), (record.State, record.Owner, record.Attempts, record.LastError));
        Assert.DoesNotContain(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitFailed);
    }

    [Fact]
    public async Task ACommitAfterTheUnitWasMarkedFailedFinishesIt()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.MarkUnitFailedAsync(new UnitLease(units[0].Id, NodeA, 1), "given up");

        var outcome = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), ResultsOf(units[0]));

        // The results are as good as anyone's: keeping the unit failed would only have retry-failed compute it again.
        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 0), outcome);
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeB, 2), (record.State, record.Owner, record.Attempts));
    }

    [Fact]
    public async Task StartedHandOutsShowTheirWorkerAndAttemptAndLeaveSettledUnitsAlone()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeA, 1), ResultsOf(units[1]));
        await Store.MarkUnitFailedAsync(new UnitLease(units[2].Id, NodeA, 1), "given up");

        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeB, 4), new UnitLease(units[1].Id, NodeB, 4), new UnitLease(units[2].Id, NodeB, 4)]);

        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Leased, NodeB, 4), (records[units[0].Id].State, records[units[0].Id].Owner, records[units[0].Id].Attempts));
        Assert.Equal((UnitStates.Done, NodeA), (records[units[1].Id].State, records[units[1].Id].Owner));
        Assert.Equal(UnitStates.Failed, records[units[2].Id].State);
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 1, 1, 0), (progress.UnitsLeased, progress.UnitsDone, progress.UnitsFailed, progress.UnitsPending));

        // Started again by another worker under a newer attempt: the record follows; it never goes back.
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeA, 5)]);
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeB, 3)]);
        var again = (await Store.GetUnitsAsync("s1")).Single(r => r.UnitId == units[0].Id);
        Assert.Equal(5, again.Attempts);
    }

    [Fact]
    public async Task MarkingAnUnknownUnitFailedIsRefused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.MarkUnitFailedAsync(new UnitLease("no-such-unit", NodeA, 1), "boom"));
    }

    [Fact]
    public async Task PublishedSeedsAreListedByRoleOldestFirstUntilRemoved()
    {
        // Named against their publication order, so an order by address would show.
        const string First = "akka.tcp://sweep@z-host:4053";
        const string Second = "akka.tcp://sweep@a-host:4053";
        const string Worker = "akka.tcp://sweep@m-host:4053";
        await Store.PublishSeedAsync(First, "coordinator");
        await Task.Delay(20);
        await Store.PublishSeedAsync(Second, "coordinator");
        await Store.PublishSeedAsync(Worker, "worker");

        Assert.Equal([First, Second], await Store.ListSeedsAsync("coordinator", LongLease));
        Assert.Equal([Worker], await Store.ListSeedsAsync("worker", LongLease));
        Assert.Empty(await Store.ListSeedsAsync("nobody", LongLease));

        await Task.Delay(20);
        await Store.PublishSeedAsync(First, "coordinator");
        Assert.Equal([First, Second], await Store.ListSeedsAsync("coordinator", LongLease));

        await Store.RemoveSeedAsync(First);
        await Store.RemoveSeedAsync("akka.tcp://sweep@never-published:1");
        Assert.Equal([Second], await Store.ListSeedsAsync("coordinator", LongLease));
        Assert.Equal([Worker], await Store.ListSeedsAsync("worker", LongLease));
    }

    [Fact]
    public async Task ASeedRepublishedWithAnotherRoleMovesToThatRole()
    {
        const string Address = "akka.tcp://sweep@host:4053";
        await Store.PublishSeedAsync(Address, "worker");

        await Store.PublishSeedAsync(Address, "coordinator");

        Assert.Equal([Address], await Store.ListSeedsAsync("coordinator", LongLease));
        Assert.Empty(await Store.ListSeedsAsync("worker", LongLease));
    }

    [Fact]
    public async Task ASeedNotRefreshedWithinTheAliveWindowIsNotListed()
    {
        const string Stale = "akka.tcp://sweep@stale:4053";
        const string Fresh = "akka.tcp://sweep@fresh:4053";
        await Store.PublishSeedAsync(Stale, "coordinator");
        await Store.PublishSeedAsync(Fresh, "coordinator");

        // A member that died two minutes ago without removing its address.
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE cluster_seeds SET published_at = published_at - 120, refreshed_at = refreshed_at - 120 WHERE address = '{Stale}'");

        Assert.Equal([Fresh], await Store.ListSeedsAsync("coordinator", TimeSpan.FromMinutes(1)));
        Assert.Equal([Stale, Fresh], await Store.ListSeedsAsync("coordinator", TimeSpan.FromMinutes(3)));

        // Back again: listed, and still first, since it was published first.
        await Store.PublishSeedAsync(Stale, "coordinator");
        Assert.Equal([Stale, Fresh], await Store.ListSeedsAsync("coordinator", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ASeedAgesOnTheDatabaseClock()
    {
        const string Address = "akka.tcp://sweep@host:4053";
        await Store.PublishSeedAsync(Address, "coordinator");

        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        Assert.Empty(await Store.ListSeedsAsync("coordinator", TimeSpan.FromSeconds(1)));
        Assert.Equal([Address], await Store.ListSeedsAsync("coordinator", TimeSpan.FromSeconds(30)));
    }

    /// <summary>Submits a sweep with one two-cell unit per cost; seeds are derived from the sweep id so sweeps do not share cells.</summary>
    protected async Task<IReadOnlyList<UnitDefinition>> SubmitAsync(string sweepId, params double[] costs)
    {
        long seedBase = 1_000 * Convert.ToInt64(CellParameters.Hash(sweepId)[..6], 16);
        var groups = costs.Select((_, i) => Some.UnitCells(seedBase + i)).ToList();
        var units = groups.Select((cells, i) => Some.Unit(sweepId, cells, costs[i])).ToList();
        await Store.SubmitAsync(Some.Sweep(sweepId, groups.SelectMany(g => g)), units);
        return units;
    }

    /// <summary>One result per cell of a submitted unit, as a worker that computed a handed-out unit sends them.</summary>
    protected static IReadOnlyList<StoredResult> ResultsOf(UnitDefinition unit, double loss = 1.0, ResultStatus status = ResultStatus.Ok) =>
        unit.CellIds.Select(id => Some.Result(id, loss, status)).ToList();

    /// <summary>Twice the short lease: comfortably past its expiry on the database clock.</summary>
    protected static Task WaitPastShortLeaseAsync() => Task.Delay(ShortLease * 2);

    private sealed class CellComparer : IEqualityComparer<CellDefinition>
    {
        public static readonly CellComparer Instance = new();

        // CellDefinition holds a ModelConfig whose list property compares by reference; the canonical text is the identity.
        public bool Equals(CellDefinition? x, CellDefinition? y) => x?.Id == y?.Id && x?.CanonicalParameters == y?.CanonicalParameters;

        public int GetHashCode(CellDefinition obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
