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
/// by <see cref="InitializeAsync"/>, and disposed afterwards; no test starts a background loop. The tests that
/// age rows (seeds, members) wait on the real database clock, so they take up to a second or so each. Cell ids are compared ordinally (byte order), which a PostgreSQL store must match with COLLATE "C".
/// </remarks>
public abstract partial class SweepStoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

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
        var unitOfA = Some.Unit("a", shared, 1.0);
        await Store.CommitUnitAsync(new UnitLease(unitOfA.Id, NodeA, 1), Some.Results(unitOfA));

        var completed = await Store.FindCompletedCellsAsync(shared.Concat(onlyB).Select(c => c.Id).ToList());
        Assert.Equal(shared.Select(c => c.Id).ToHashSet(), completed);
        var cellsOfB = await Store.GetCellsAsync("b");
        Assert.Equal(2, cellsOfB.Count(c => c.Result is not null));
        Assert.Equal(2, (await Store.GetProgressAsync("b")).CellsDone);
    }

    [Fact]
    public async Task TheGridFileIsTheOneOfTheLatestSubmissionThatNamedOne()
    {
        var cells = Some.UnitCells(1);
        await Store.SubmitAsync(Some.Sweep("g", cells), [Some.Unit("g", cells, 1.0)]);
        Assert.Null(await Store.GetGridFileAsync("g"));

        await Store.SubmitAsync(Some.Sweep("g", cells) with { GridFile = "/data/grids/first.yaml" }, [Some.Unit("g", cells, 1.0)]);
        await Store.SubmitAsync(Some.Sweep("g", cells) with { GridFile = "/data/my grids/a=b.yaml" }, [Some.Unit("g", cells, 1.0)]);
        await Store.SubmitAsync(Some.Sweep("g", cells), [Some.Unit("g", cells, 1.0)]);

        Assert.Equal("/data/my grids/a=b.yaml", await Store.GetGridFileAsync("g"));
        Assert.Null(await Store.GetGridFileAsync("other"));
    }

    [Theory]
    [InlineData(CellKind.Repro)]
    [InlineData(CellKind.Gl)]
    [InlineData(CellKind.Bound)]
    [InlineData(CellKind.Molrg)]
    public async Task AGeneralisationFamilyCellAndItsUnitKeepTheirKind(CellKind family)
    {
        var cell = Some.FamilyCell(family);
        var unit = Some.Unit("f", [cell], 2.0);
        await Store.SubmitAsync(Some.Sweep("f", [cell]), [unit]);
        await Store.CommitUnitAsync(new UnitLease(unit.Id, NodeA, 1), Some.Results(unit));

        var stored = Assert.Single(await Store.GetCellsAsync("f"));
        Assert.Equal(family, stored.Cell.Kind);
        Assert.Equal(cell.CanonicalParameters, stored.Cell.CanonicalParameters);
        Assert.NotNull(stored.Result);
        var units = await Store.ReadUnitsAsync("f").ToListAsync();
        Assert.Equal(family, (CellKind)(int)Assert.Single(units).Kind);
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
    public async Task LoadingUnitsGivesTheirCellsAndWhetherTheyAreDone()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0, 3.0);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeA, 1), Some.Results(units[1]));

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
        await Store.CommitUnitAsync(new UnitLease(units[2].Id, NodeA, 1), Some.Results(units[2]));

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
        var handOut = new UnitLease(units[0].Id, NodeB, 3);

        // The coordinator hands units out itself: the store sees a pending unit and a commit, never a claim.
        var outcome = await Store.CommitUnitAsync(handOut, Some.Results(units[0], loss: 0.5));

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
        var completed = Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitCompleted);
        Assert.Equal((units[0].Id, NodeB, 3), (completed.UnitId, completed.NodeId, completed.Attempt));

        // A worker that loads it again sees it done, and so does not compute it.
        Assert.Equal([true, false], (await Store.LoadUnitsAsync([units[0].Id, units[1].Id])).Select(u => u.Done));
    }

    [Fact]
    public async Task ASecondIdenticalCommitIsADuplicate()
    {
        var units = await SubmitAsync("s1", 1.0);
        var handOut = new UnitLease(units[0].Id, NodeA, 1);
        await Store.CommitUnitAsync(handOut, Some.Results(units[0]));

        // Sent again, as a worker does when its reply was lost, or computed again by another worker.
        var again = await Store.CommitUnitAsync(handOut with { NodeId = NodeB, Attempt = 2 }, Some.Results(units[0]));

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
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 1.0));

        var second = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0], loss: 2.0));

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
        var results = Some.Results(units[0]).Append(Some.Result(units[1].CellIds[0])).ToList();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), results));

        Assert.Contains(units[1].CellIds[0], e.Message, StringComparison.Ordinal);
        Assert.All(await Store.GetUnitsAsync("s1"), r => Assert.Equal(UnitStates.Pending, r.State));
        Assert.Empty(await Store.FindCompletedCellsAsync(units.SelectMany(u => u.CellIds).ToList()));
    }

    [Fact]
    public async Task ACommitOfAnUnknownUnitIsRefused()
    {
        var units = await SubmitAsync("s1", 1.0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitUnitAsync(new UnitLease("no-such-unit", NodeA, 1), Some.Results(units[0])));
        Assert.Equal(UnitStates.Pending, Assert.Single(await Store.GetUnitsAsync("s1")).State);
    }

    [Fact]
    public async Task ACommitTakesALeasedUnitFromItsHolderAndNeverLowersItsAttempt()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        await Store.MarkUnitsStartedAsync(units.Select(u => new UnitLease(u.Id, NodeA, 2)).ToList());

        // The coordinator fences its hand-outs itself; the store records who computed the unit and keeps the
        // highest attempt, so a fencing token it handed out never comes back.
        var lower = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 1), Some.Results(units[0]));
        var higher = await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeB, 7), Some.Results(units[1]));

        Assert.Equal((CompletionStatus.Completed, CompletionStatus.Completed), (lower.Status, higher.Status));
        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Done, NodeB, 2), (records[units[0].Id].State, records[units[0].Id].Owner, records[units[0].Id].Attempts));
        Assert.Equal((UnitStates.Done, NodeB, 7), (records[units[1].Id].State, records[units[1].Id].Owner, records[units[1].Id].Attempts));
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

        // Failed stays failed until retry-failed puts it back.
        Assert.Equal(1, await Store.RetryFailedAsync("s1"));
        Assert.Equal(UnitStates.Pending, (await Store.GetUnitsAsync("s1")).Single(r => r.UnitId == units[0].Id).State);
    }

    [Fact]
    public async Task MarkingAStartedUnitFailedTakesItOutOfFlight()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeA, 1)]);

        await Store.MarkUnitFailedAsync(new UnitLease(units[0].Id, NodeB, 1), "given up");

        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Failed, null, 1, "given up"), (record.State, record.Owner, record.Attempts, record.LastError));
        Assert.Equal(0, (await Store.GetProgressAsync("s1")).UnitsLeased);
    }

    [Fact]
    public async Task MarkingADoneUnitFailedLeavesItDone()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0]));

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

        var outcome = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0]));

        // The results are as good as anyone's: keeping the unit failed would only have retry-failed compute it again.
        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 0), outcome);
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeB, 2), (record.State, record.Owner, record.Attempts));
    }

    [Fact]
    public async Task StartedHandOutsShowTheirWorkerAndAttemptAndLeaveSettledUnitsAlone()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeA, 1), Some.Results(units[1]));
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
    public async Task ReturnedHandOutsArePendingAgainUnlessSomeoneElseHasThemOrTheyAreDone()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeA, 1), new UnitLease(units[1].Id, NodeA, 1), new UnitLease(units[2].Id, NodeA, 1)]);

        // Unit 1 was handed to B since; unit 2 is done.
        await Store.MarkUnitsStartedAsync([new UnitLease(units[1].Id, NodeB, 2)]);
        await Store.CommitUnitAsync(new UnitLease(units[2].Id, NodeA, 1), Some.Results(units[2]));

        await Store.MarkUnitsReturnedAsync([new UnitLease(units[0].Id, NodeA, 1), new UnitLease(units[1].Id, NodeA, 1), new UnitLease(units[2].Id, NodeA, 1)]);

        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Pending, (string?)null), (records[units[0].Id].State, records[units[0].Id].Owner));
        Assert.Equal((UnitStates.Leased, NodeB), (records[units[1].Id].State, records[units[1].Id].Owner));
        Assert.Equal(UnitStates.Done, records[units[2].Id].State);
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 1, 1), (progress.UnitsPending, progress.UnitsLeased, progress.UnitsDone));
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

    [Fact]
    public async Task ALoadedUnitCarriesEverythingNeededToComputeIt()
    {
        var cells = Some.UnitCells(7);
        var unit = Some.Unit("s1", cells, 2.5);
        await Store.SubmitAsync(Some.Sweep("s1", cells), [unit]);

        var loaded = Assert.Single(await Store.LoadUnitsAsync([unit.Id]));

        Assert.Equal(("s1", UnitKind.Simulation, 2.5, false), (loaded.SweepId, loaded.Kind, loaded.Cost, loaded.Done));
        Assert.Equal(cells.OrderBy(c => c.Id, StringComparer.Ordinal).ToList(), loaded.Cells.ToList(), CellComparer.Instance);
    }

    [Fact]
    public async Task CommittingTheSameHandOutTwiceWritesEachResultOnce()
    {
        var units = await SubmitAsync("s1", 1.0);
        var handOut = new UnitLease(units[0].Id, NodeA, 1);

        var first = await Store.CommitUnitAsync(handOut, Some.Results(units[0], loss: 1.0));
        // The same commit again, as a worker does when it cannot tell whether its commit went through.
        var again = await Store.CommitUnitAsync(handOut, Some.Results(units[0], loss: 1.0));

        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 0), first);
        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), again);
        Assert.All(await Store.GetCellsAsync("s1"), c => Assert.Equal(Some.Result(c.Cell.Id, loss: 1.0), c.Result));
        Assert.Empty(await Store.GetNonDeterminismAsync("s1"));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((1, 2, 2), (progress.UnitsDone, progress.CellsDone, progress.CellsTotal));
    }

    [Fact]
    public async Task ACommitWhoseResultsDifferOnlyInStatusIsNonDeterminismToo()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0]));

        var second = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0], status: ResultStatus.NumericalFailure));

        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 2), second);
        Assert.Equal(2, (await Store.GetNonDeterminismAsync("s1")).Count);
        Assert.All(await Store.GetNonDeterminismAsync("s1"), r => Assert.True(r.At > 0));
    }

    [Fact]
    public async Task ANumericalFailureIsAResultLikeAnyOther()
    {
        var units = await SubmitAsync("s1", 1.0);

        var outcome = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], status: ResultStatus.NumericalFailure));

        Assert.Equal(CompletionStatus.Completed, outcome.Status);
        Assert.All(await Store.GetCellsAsync("s1"), c =>
        {
            Assert.Equal(ResultStatus.NumericalFailure, c.Result!.Status);
            Assert.Equal("diverged", c.Result.Message);
        });
    }

    [Fact]
    public async Task ACommitOfCellsAnotherSweepAlreadyComputedKeepsTheFirstResultsAndFinishesTheUnit()
    {
        var shared = Some.UnitCells(1);
        var ofA = Some.Unit("a", shared, 1.0);
        var ofB = Some.Unit("b", shared, 1.0);
        await Store.SubmitAsync(Some.Sweep("a", shared), [ofA]);
        await Store.SubmitAsync(Some.Sweep("b", shared), [ofB]);
        await Store.CommitUnitAsync(new UnitLease(ofA.Id, NodeA, 1), Some.Results(ofA, loss: 1.0));

        // Insert-if-absent by cell id: the cells already have results, so b's unit only compares with them.
        var same = await Store.CommitUnitAsync(new UnitLease(ofB.Id, NodeB, 1), Some.Results(ofB, loss: 1.0));
        var differing = await Store.CommitUnitAsync(new UnitLease(ofB.Id, NodeB, 2), Some.Results(ofB, loss: 3.0));

        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 0, 0), same);
        Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 2), differing);
        var unitOfB = Assert.Single(await Store.GetUnitsAsync("b"));
        Assert.Equal((UnitStates.Done, NodeB), (unitOfB.State, unitOfB.Owner));
        Assert.All(await Store.GetCellsAsync("b"), c => Assert.Equal(Some.Metrics(1.0), c.Result!.MetricsJson));

        // A cell belongs to both sweeps, so its non-determinism shows through both.
        Assert.Equal(2, (await Store.GetNonDeterminismAsync("a")).Count);
        Assert.Equal(2, (await Store.GetNonDeterminismAsync("b")).Count);
    }

    [Fact]
    public async Task AResultListedTwiceInOneCommitIsWrittenOnceAndTheSecondOnlyCompared()
    {
        var units = await SubmitAsync("s1", 1.0);
        string first = units[0].CellIds[0];
        var results = Some.Results(units[0], loss: 1.0).Append(Some.Result(first, loss: 2.0)).ToList();

        var outcome = await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), results);

        Assert.Equal(new CompletionOutcome(CompletionStatus.Completed, 2, 1), outcome);
        var mismatch = Assert.Single(await Store.GetNonDeterminismAsync("s1"));
        Assert.Equal((first, Some.Metrics(1.0), Some.Metrics(2.0)), (mismatch.CellId, mismatch.FirstMetricsJson, mismatch.SecondMetricsJson));
    }

    [Fact]
    public async Task ABatchCommitGivesEachUnitTheOutcomeOfItsOwnCommit()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeA, 1), Some.Results(units[1], loss: 1.0));
        await Store.CommitUnitAsync(new UnitLease(units[2].Id, NodeA, 1), Some.Results(units[2], loss: 1.0));

        // A new unit, one already done with the same results, and one already done whose results differ.
        var outcomes = await Store.CommitUnitsAsync(
        [
            (new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0], loss: 0.5)),
            (new UnitLease(units[1].Id, NodeB, 2), Some.Results(units[1], loss: 1.0)),
            (new UnitLease(units[2].Id, NodeB, 2), Some.Results(units[2], loss: 2.0)),
        ]);

        Assert.Equal(
            [new CompletionOutcome(CompletionStatus.Completed, 2, 0), new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 2)],
            outcomes);
        var records = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Done, NodeB, 2), (records[units[0].Id].State, records[units[0].Id].Owner, records[units[0].Id].Attempts));
        Assert.Equal((UnitStates.Done, NodeA, 1), (records[units[1].Id].State, records[units[1].Id].Owner, records[units[1].Id].Attempts));
        Assert.Equal((UnitStates.Done, NodeA, 1), (records[units[2].Id].State, records[units[2].Id].Owner, records[units[2].Id].Attempts));
        var cells = (await Store.GetCellsAsync("s1")).ToDictionary(c => c.Cell.Id, c => c.Result!.MetricsJson);
        Assert.All(units[0].CellIds, c => Assert.Equal(Some.Metrics(0.5), cells[c]));
        Assert.All(units[2].CellIds, c => Assert.Equal(Some.Metrics(1.0), cells[c]));
        var mismatches = await Store.GetNonDeterminismAsync("s1");
        Assert.Equal(units[2].CellIds.Order(StringComparer.Ordinal), mismatches.Select(m => m.CellId).Order(StringComparer.Ordinal));
        Assert.All(mismatches, m => Assert.Equal((units[2].Id, Some.Metrics(1.0), Some.Metrics(2.0)), (m.UnitId, m.FirstMetricsJson, m.SecondMetricsJson)));

        // The journal reads as if the units had been committed one after the other.
        var journal = (await Store.GetEventsAsync("s1")).SkipWhile(e => e.NodeId != NodeB).Select(e => (e.Kind, e.UnitId)).ToList();
        Assert.Equal(
            [
                (JournalEventKinds.UnitCompleted, units[0].Id), (JournalEventKinds.UnitDuplicate, units[1].Id),
                (JournalEventKinds.NonDeterminism, units[2].Id), (JournalEventKinds.NonDeterminism, units[2].Id), (JournalEventKinds.UnitDuplicate, units[2].Id),
            ],
            journal);
    }

    [Fact]
    public async Task ACellSharedByTwoUnitsOfOneBatchIsWrittenByTheFirstAndComparedByTheSecond()
    {
        var shared = Some.UnitCells(1);
        var ofA = Some.Unit("a", shared, 1.0);
        var ofB = Some.Unit("b", shared, 1.0);
        await Store.SubmitAsync(Some.Sweep("a", shared), [ofA]);
        await Store.SubmitAsync(Some.Sweep("b", shared), [ofB]);

        var outcomes = await Store.CommitUnitsAsync(
        [
            (new UnitLease(ofA.Id, NodeA, 1), Some.Results(ofA, loss: 1.0)),
            (new UnitLease(ofB.Id, NodeB, 1), Some.Results(ofB, loss: 3.0)),
        ]);

        Assert.Equal([new CompletionOutcome(CompletionStatus.Completed, 2, 0), new CompletionOutcome(CompletionStatus.Completed, 0, 2)], outcomes);
        Assert.All(await Store.GetCellsAsync("b"), c => Assert.Equal(Some.Metrics(1.0), c.Result!.MetricsJson));
        Assert.Equal((UnitStates.Done, NodeB), (Assert.Single(await Store.GetUnitsAsync("b")).State, Assert.Single(await Store.GetUnitsAsync("b")).Owner));
        var mismatches = await Store.GetNonDeterminismAsync("a");
        Assert.Equal(2, mismatches.Count);
        Assert.All(mismatches, m => Assert.Equal((ofB.Id, Some.Metrics(1.0), Some.Metrics(3.0)), (m.UnitId, m.FirstMetricsJson, m.SecondMetricsJson)));
    }

    [Fact]
    public async Task AUnitListedTwiceInOneBatchIsCompletedByItsFirstListing()
    {
        var units = await SubmitAsync("s1", 1.0);

        var outcomes = await Store.CommitUnitsAsync(
        [
            (new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 1.0)),
            (new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0], loss: 1.0)),
        ]);

        Assert.Equal([new CompletionOutcome(CompletionStatus.Completed, 2, 0), new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0)], outcomes);
        var record = Assert.Single(await Store.GetUnitsAsync("s1"));
        Assert.Equal((UnitStates.Done, NodeA, 1), (record.State, record.Owner, record.Attempts));
    }

    [Fact]
    public async Task AnEmptyBatchCommitsNothing()
    {
        await SubmitAsync("s1", 1.0);
        int events = (await Store.GetEventsAsync("s1")).Count;

        Assert.Empty(await Store.CommitUnitsAsync([]));

        Assert.Equal(events, (await Store.GetEventsAsync("s1")).Count);
        Assert.Equal(UnitStates.Pending, Assert.Single(await Store.GetUnitsAsync("s1")).State);
    }

    [Fact]
    public async Task ABatchWithAnUnknownUnitIsRefusedAndWritesNothingForTheOthers()
    {
        var units = await SubmitAsync("s1", 1.0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CommitUnitsAsync(
        [
            (new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0])),
            (new UnitLease("no-such-unit", NodeA, 1), []),
        ]));

        Assert.Equal(UnitStates.Pending, Assert.Single(await Store.GetUnitsAsync("s1")).State);
        Assert.Empty(await Store.FindCompletedCellsAsync(units[0].CellIds));
    }

    [Fact]
    public async Task ConcurrentCommitsOfTheSameUnitsFinishEachUnitOnce()
    {
        const int Units = 40;
        const int Workers = 8;
        var units = await SubmitAsync("s1", Enumerable.Range(0, Units).Select(i => (double)(i % 7)).ToArray());
        var completions = new ConcurrentBag<(string UnitId, string NodeId, CompletionOutcome Outcome)>();

        // Every worker commits every unit, each starting elsewhere in the list, as after hand-outs that were repeated.
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            string node = $"node-{worker}";
            int start = worker * Units / Workers;
            foreach (var unit in units.Skip(start).Concat(units.Take(start)))
            {
                var outcome = await Store.CommitUnitAsync(new UnitLease(unit.Id, node, worker + 1), Some.Results(unit));
                completions.Add((unit.Id, node, outcome));
            }
        })));

        var completed = completions.Where(c => c.Outcome.Status == CompletionStatus.Completed).ToList();
        Assert.Equal(Units, completed.Count);
        Assert.Equal(Units, completed.Select(c => c.UnitId).Distinct().Count());
        Assert.All(completed, c => Assert.Equal(2, c.Outcome.ResultsWritten));
        Assert.All(completions.Except(completed), c => Assert.Equal(new CompletionOutcome(CompletionStatus.AlreadyDone, 0, 0), c.Outcome));
        Assert.Empty(await Store.GetNonDeterminismAsync("s1"));
        var owners = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId, r => r.Owner);
        Assert.All(completed, c => Assert.Equal(c.NodeId, owners[c.UnitId]));
        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((Units, 2 * Units, true), (progress.UnitsDone, progress.CellsDone, progress.IsComplete));
    }

    [Fact]
    public async Task RetryFailedPutsFailedUnitsBackAndTheAttemptCounterKeepsRising()
    {
        var units = await SubmitAsync("s1", 1.0, 2.0);
        foreach (var unit in units)
        {
            await Store.MarkUnitFailedAsync(new UnitLease(unit.Id, NodeA, 3), "boom");
        }

        Assert.True(await Store.MarkSweepFinishedAsync("s1"));
        Assert.Equal(2, await Store.RetryFailedAsync("s1"));
        Assert.Equal(0, await Store.RetryFailedAsync("s1"));

        var records = await Store.GetUnitsAsync("s1");
        Assert.All(records, r => Assert.Equal((UnitStates.Pending, null, 3, null), (r.State, r.Owner, r.Attempts, r.FinishedAt)));
        Assert.False(Assert.Single(await Store.ListSweepsAsync()).Finished);
        Assert.Contains(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.UnitsRequeued && e.Detail == "units=2");

        // The counter is kept, not reset: a hand-out older than the failure never lowers it, a newer one raises it.
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeB, 1)]);
        await Store.CommitUnitAsync(new UnitLease(units[1].Id, NodeB, 4), Some.Results(units[1]));
        var after = (await Store.GetUnitsAsync("s1")).ToDictionary(r => r.UnitId);
        Assert.Equal((UnitStates.Leased, 3), (after[units[0].Id].State, after[units[0].Id].Attempts));
        Assert.Equal((UnitStates.Done, 4), (after[units[1].Id].State, after[units[1].Id].Attempts));
    }

    [Fact]
    public async Task ProgressCountsUnitsByStateAndCellsWithResults()
    {
        var units = await SubmitAsync("s1", 4.0, 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0]));
        await Store.MarkUnitFailedAsync(new UnitLease(units[1].Id, NodeA, 1), "boom");
        await Store.MarkUnitsStartedAsync([new UnitLease(units[2].Id, NodeA, 1)]);

        var progress = await Store.GetProgressAsync("s1");

        Assert.Equal(
            ("s1", 1, 1, 1, 1, 8, 2),
            (progress.SweepId, progress.UnitsPending, progress.UnitsLeased, progress.UnitsDone, progress.UnitsFailed, progress.CellsTotal, progress.CellsDone));
        Assert.Equal(4, progress.UnitsTotal);
        Assert.False(progress.IsComplete);
    }

    [Fact]
    public async Task ProgressAddsUpPredictedCostByStateAndListsTheUnitsInFlight()
    {
        var units = await SubmitAsync("s1", 4.0, 3.0, 2.0, 1.0);
        await Store.MarkUnitsStartedAsync([new UnitLease(units[0].Id, NodeA, 1), new UnitLease(units[2].Id, NodeA, 1)]);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0]));
        await Store.MarkUnitFailedAsync(new UnitLease(units[1].Id, NodeA, 1), "boom");

        var progress = await Store.GetProgressAsync("s1");

        var byState = progress.Costs.GroupBy(c => c.State).ToDictionary(g => g.Key, g => (Units: g.Sum(c => c.Units), Cost: g.Sum(c => c.Cost)));
        Assert.Equal((1, 4.0), byState[UnitStates.Done]);
        Assert.Equal((1, 3.0), byState[UnitStates.Failed]);
        Assert.Equal((1, 2.0), byState[UnitStates.Leased]);
        Assert.Equal((1, 1.0), byState[UnitStates.Pending]);

        // Only the unit that was started and finished has a measured time.
        var done = Assert.Single(progress.Costs, c => c.State == UnitStates.Done);
        Assert.Equal(4.0, done.TimedCost);
        Assert.InRange(done.TimedSeconds, 0, 60);
        Assert.All(progress.Costs.Where(c => c.State != UnitStates.Done), c => Assert.Equal(0, c.TimedCost));

        var running = Assert.Single(progress.InFlight);
        Assert.Equal(2.0, running.Cost);
        Assert.NotNull(running.StartedAt);
        Assert.InRange(progress.DatabaseTime - running.StartedAt!.Value, 0, 60);
    }

    [Fact]
    public async Task ProgressSumsTheComputeTimesOfDoneUnitsAndGroupsThePendingOnesByCost()
    {
        var units = await SubmitAsync("s1", 4.0, 3.0, 2.0, 2.0, 1.0);
        // A unit's computation is the sum of its cells' measured seconds (two cells each here).
        IReadOnlyList<StoredResult> Timed(UnitDefinition unit, double seconds) => [.. Some.Results(unit).Select(r => r with { DurationSeconds = seconds })];
        await Store.CommitUnitsAsync([
            (new UnitLease(units[0].Id, NodeA, 1), Timed(units[0], 1.5)),
            (new UnitLease(units[1].Id, NodeA, 1), Timed(units[1], 0.5)),
        ]);

        var progress = await Store.GetProgressAsync("s1");

        var sums = Assert.Single(progress.ComputeTimes);
        Assert.Equal(2, sums.Units);
        Assert.Equal(7.0, sums.Cost, 12);
        Assert.Equal(4.0, sums.Seconds, 12);
        Assert.Equal(25.0, sums.CostSquared, 12);
        Assert.Equal(4 * 3.0 + 3 * 1.0, sums.CostTimesSeconds, 12);
        Assert.Equal([(2.0, 2), (1.0, 1)], progress.Pending.Select(g => (g.Cost, g.Units)));
    }

    [Fact]
    public async Task AUnitLeasedByTheFirstVersionCountsAsInFlightWhetherOrNotItsLeaseExpired()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);

        // As the first version's claims left them: one lease long expired, one still running.
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE units SET state = 'leased', owner = 'old-node', attempts = 1, lease_expires_at = 1.0 WHERE id = '{units[0].Id}'");
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE units SET state = 'leased', owner = 'old-node', attempts = 1, lease_expires_at = 1.0e12 WHERE id = '{units[1].Id}'");

        var progress = await Store.GetProgressAsync("s1");
        Assert.Equal((2, 0, false), (progress.UnitsLeased, progress.UnitsPending, progress.IsComplete));
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));

        // The coordinator hands them out again; the new commit finishes them.
        Assert.Equal(CompletionStatus.Completed, (await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 2), Some.Results(units[0]))).Status);
        await Store.MarkUnitsStartedAsync([new UnitLease(units[1].Id, NodeA, 2)]);
        var restarted = (await Store.GetUnitsAsync("s1")).Single(r => r.UnitId == units[1].Id);
        Assert.Equal((UnitStates.Leased, NodeA, 2), (restarted.State, restarted.Owner, restarted.Attempts));
    }

    [Fact]
    public async Task CellsComeBackOrderedByIdWithTheirResults()
    {
        var units = await SubmitAsync("s1", 3.0, 2.0, 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 0.5));

        var cells = await Store.GetCellsAsync("s1");

        Assert.Equal(6, cells.Count);
        Assert.Equal(cells.Select(c => c.Cell.Id).Order(StringComparer.Ordinal), cells.Select(c => c.Cell.Id));
        var computed = units[0].CellIds.ToHashSet();
        Assert.All(cells, c => Assert.Equal(computed.Contains(c.Cell.Id) ? Some.Result(c.Cell.Id, 0.5) : null, c.Result));
        Assert.All(cells, c => Assert.Equal(CellParameters.Parse(c.Cell.CanonicalParameters).Id, c.Cell.Id));
    }

    [Fact]
    public async Task UnitsShowWhoComputedThemAndHowOften()
    {
        var units = await SubmitAsync("s1", 2.0, 1.0);
        var handOut = new UnitLease(units[0].Id, NodeA, 1);
        await Store.MarkUnitsStartedAsync([handOut]);
        await Store.CommitUnitAsync(handOut, Some.Results(units[0]));

        var records = await Store.GetUnitsAsync("s1");

        Assert.Equal(units.Select(u => u.Id).Order(StringComparer.Ordinal), records.Select(r => r.UnitId));
        var done = records.Single(r => r.UnitId == units[0].Id);
        Assert.Equal((UnitStates.Done, NodeA, 1, 2, 2.0, UnitKind.Simulation), (done.State, done.Owner, done.Attempts, done.Cells, done.Cost, done.Kind));
        Assert.NotNull(done.StartedAt);
        Assert.True(done.FinishedAt >= done.StartedAt);
        var pending = records.Single(r => r.UnitId != units[0].Id);
        Assert.Equal((UnitStates.Pending, null, 0), (pending.State, pending.Owner, pending.Attempts));
        Assert.Null(pending.StartedAt);
        Assert.All(records, r => Assert.Contains(r.State, UnitStates.All));
    }

    [Fact]
    public async Task ASweepIsMarkedFinishedOnceAndOnlyWhenNoWorkIsLeft()
    {
        var units = await SubmitAsync("s1", 1.0);
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));
        var handOut = new UnitLease(units[0].Id, NodeA, 1);
        await Store.MarkUnitsStartedAsync([handOut]);
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));
        await Store.CommitUnitAsync(handOut, Some.Results(units[0]));

        Assert.True(await Store.MarkSweepFinishedAsync("s1"));
        Assert.False(await Store.MarkSweepFinishedAsync("s1"));

        Assert.True(Assert.Single(await Store.ListSweepsAsync()).Finished);
        Assert.Single(await Store.GetEventsAsync("s1"), e => e.Kind == JournalEventKinds.SweepFinished);
    }

    [Fact]
    public async Task TheJournalKeepsASweepsEventsInOrder()
    {
        var units = await SubmitAsync("s1", 1.0);
        await SubmitAsync("other", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0]));
        await Store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeDead, "s1", null, NodeB, null, "no heartbeat for 60 s"));

        var events = await Store.GetEventsAsync("s1");

        Assert.Equal([JournalEventKinds.SweepSubmitted, JournalEventKinds.UnitCompleted, JournalEventKinds.NodeDead], events.Select(e => e.Kind));
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal(events.Count, events.Select(e => e.Sequence).Distinct().Count());
        Assert.All(events, e => Assert.True(e.At > 0));
        Assert.Equal((units[0].Id, NodeA, 1), (events[1].UnitId, events[1].NodeId, events[1].Attempt));
        Assert.Equal((NodeB, "no heartbeat for 60 s"), (events[2].NodeId, events[2].Detail));
    }

    [Fact]
    public async Task FiveHundredUnitsCanBeSubmittedLoadedStartedAndCommitted()
    {
        const int Units = 500;
        var cells = Enumerable.Range(0, Units).Select(i => Some.SimulationCell(10_000 + i)).ToList();
        var units = cells.Select((c, i) => Some.Unit("big", [c], i % 13)).ToList();
        var submitted = await Store.SubmitAsync(Some.Sweep("big", cells), units);
        Assert.Equal(new SubmitOutcome(true, Units, Units, Units), submitted);

        int completed = 0;
        foreach (var batch in units.Chunk(50))
        {
            var loaded = await Store.LoadUnitsAsync(batch.Select(u => u.Id).ToList());
            await Store.MarkUnitsStartedAsync(loaded.Select(u => new UnitLease(u.UnitId, NodeA, 1)).ToList());
            foreach (var unit in loaded)
            {
                var results = unit.Cells.Select(c => Some.Result(c.Id)).ToList();
                Assert.Equal(CompletionStatus.Completed, (await Store.CommitUnitAsync(new UnitLease(unit.UnitId, NodeA, 1), results)).Status);
                completed++;
            }
        }

        Assert.Equal(Units, completed);
        var progress = await Store.GetProgressAsync("big");
        Assert.Equal((Units, Units, true), (progress.UnitsDone, progress.CellsDone, progress.IsComplete));
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

    private sealed class CellComparer : IEqualityComparer<CellDefinition>
    {
        public static readonly CellComparer Instance = new();

        // CellDefinition holds a ModelConfig whose list property compares by reference; the canonical text is the identity.
        public bool Equals(CellDefinition? x, CellDefinition? y) => x?.Id == y?.Id && x?.CanonicalParameters == y?.CanonicalParameters;

        public int GetHashCode(CellDefinition obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
