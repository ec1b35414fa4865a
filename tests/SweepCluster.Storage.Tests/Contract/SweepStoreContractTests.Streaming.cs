using SweepCluster.Storage.Tests.Support;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Storage.Tests.Contract;

/// <summary>Submission and reads for sweeps too large to hold: batches in, pages out.</summary>
public abstract partial class SweepStoreContractTests
{
    // More than one batch of a submission and more than two pages of a read.
    private const int ManyCells = 2_500;

    [Fact]
    public async Task AStreamedSubmissionPlansTheUnitsThePlannerPlansWithoutTheComputedCells()
    {
        var computed = Some.UnitCells(0);
        var unitOfA = Some.Unit("a", computed, 1.0);
        await Store.SubmitAsync(Some.Sweep("a", computed), [unitOfA]);
        await Store.CommitUnitAsync(new UnitLease(unitOfA.Id, NodeA, 1), Some.Results(unitOfA));
        var cells = Enumerable.Range(0, ManyCells / 2).SelectMany(seed => Some.UnitCells(seed)).ToList();
        var sweep = Some.Sweep("b", cells);
        var read = 0;

        var outcome = await Store.SubmitAsync(new SweepSource(sweep.Id, sweep.GridHash, sweep.GridText, cells.Select(c => { read++; return c; }), sweep.Spectra));

        var planned = UnitPlanner.Plan(sweep, computed.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(ManyCells, read);
        Assert.Equal(new SubmitOutcome(NewSweep: true, NewCells: ManyCells - 2, NewUnits: planned.Count, TotalCells: ManyCells) { Cells = ManyCells, CompletedCells = 2, PlannedUnits = planned.Count }, outcome);
        var units = await Store.GetUnitsAsync("b");
        Assert.Equal(planned.Select(u => (u.Id, u.Cost, u.CellIds.Count)).OrderBy(u => u.Id, StringComparer.Ordinal), units.Select(u => (u.UnitId, u.Cost, u.Cells)));
        var loaded = await Store.LoadUnitsAsync([planned[0].Id]);
        Assert.Equal(planned[0].CellIds, Assert.Single(loaded).Cells.Select(c => c.Id).Order(StringComparer.Ordinal));

        var again = await Store.SubmitAsync(new SweepSource(sweep.Id, sweep.GridHash, sweep.GridText, cells, sweep.Spectra));
        Assert.Equal((0, 0, ManyCells), (again.NewCells, again.NewUnits, again.TotalCells));
    }

    [Fact]
    public async Task CellsAndUnitsReadInPagesAreThoseOfOneRead()
    {
        var cells = Enumerable.Range(0, ManyCells / 2).SelectMany(seed => Some.UnitCells(seed)).ToList();
        var sweep = Some.Sweep("s1", cells);
        var units = UnitPlanner.Plan(sweep, new HashSet<string>());
        await Store.SubmitAsync(sweep, units);
        await Store.CommitUnitAsync(new UnitLease(units[7].Id, NodeA, 1), Some.Results(units[7]));

        var all = await Store.GetCellsAsync("s1");
        var paged = await Store.ReadCellsAsync("s1").ToListAsync();
        Assert.Equal(ManyCells, paged.Count);
        Assert.Equal(all.Select(c => (c.Cell.Id, c.Cell.CanonicalParameters, c.Result)), paged.Select(c => (c.Cell.Id, c.Cell.CanonicalParameters, c.Result)));
        Assert.Single(paged, c => c.Result is not null && c.Cell.Id == units[7].CellIds[0]);

        var allUnits = await Store.GetUnitsAsync("s1");
        var pagedUnits = await Store.ReadUnitsAsync("s1").ToListAsync();
        Assert.Equal(allUnits, pagedUnits);
    }

    [Fact]
    public async Task ALaterPageShowsAResultCommittedWhileTheFirstWasRead()
    {
        // The pages are separate reads, so nothing holds the sweep (or a transaction) while a reader works through it.
        var cells = Enumerable.Range(0, ManyCells / 2).SelectMany(seed => Some.UnitCells(seed)).ToList();
        var sweep = Some.Sweep("s1", cells);
        var units = UnitPlanner.Plan(sweep, new HashSet<string>());
        await Store.SubmitAsync(sweep, units);
        string last = cells.Select(c => c.Id).Max(StringComparer.Ordinal)!;
        var unitOfLast = units.Single(u => u.CellIds.Contains(last));

        CellRecord? lastRead = null;
        bool committed = false;
        await foreach (var cell in Store.ReadCellsAsync("s1"))
        {
            if (!committed)
            {
                await Store.CommitUnitAsync(new UnitLease(unitOfLast.Id, NodeA, 1), Some.Results(unitOfLast));
                committed = true;
            }

            lastRead = cell;
        }

        Assert.Equal(last, lastRead!.Cell.Id);
        Assert.NotNull(lastRead.Result);
    }
}
