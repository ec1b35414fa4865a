using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench.Memory;

/// <summary>
/// <c>fill-store GRID TEMPLATE_DB TARGET_DB</c>: submits a grid to a SQLite store and commits a result for every
/// cell, copied from the first ok cell of the same kind in a store that computed a small grid of the same shape.
/// It makes the stores that the memory benchmark reads (status, export, report at 10^6 cells) in minutes, where
/// computing them would take hours; what is measured is the reading commands, not the results' values.
/// </summary>
public static class FillStore
{
    private const int CommitBatch = 500;

    public static async Task<int> RunAsync(string gridPath, string templatePath, string targetPath)
    {
        var templates = await TemplatesAsync(templatePath).ConfigureAwait(false);
        var grid = GridFile.Load(gridPath);
        await using var store = SqliteSweepStore.Open(targetPath);
        await store.MigrateAsync().ConfigureAwait(false);
        var sweep = GridExpander.Expand(grid);
        var units = UnitPlanner.Plan(sweep, new HashSet<string>(StringComparer.Ordinal));
        await store.SubmitAsync(sweep, units).ConfigureAwait(false);
        var kinds = sweep.Cells.ToDictionary(c => c.Id, c => c.Kind, StringComparer.Ordinal);
        foreach (var batch in units.Chunk(CommitBatch))
        {
            var commits = batch.Select(u => (
                new UnitLease(u.Id, "fill-store", 1),
                (IReadOnlyList<StoredResult>)u.CellIds.Select(id => new StoredResult(id, ResultStatus.Ok, templates[kinds[id]], null, 0.001)).ToList())).ToList();
            await store.CommitUnitsAsync(commits).ConfigureAwait(false);
        }

        await store.MarkSweepFinishedAsync(sweep.Id).ConfigureAwait(false);
        Console.WriteLine($"{targetPath}: sweep {sweep.Id}, {sweep.Cells.Count} cells, {units.Count} units");
        return 0;
    }

    private static async Task<Dictionary<CellKind, string>> TemplatesAsync(string templatePath)
    {
        await using var template = SqliteSweepStore.OpenExisting(templatePath);
        var sweepId = (await template.ListSweepsAsync().ConfigureAwait(false))[0].Id;
        var cells = await template.GetCellsAsync(sweepId).ConfigureAwait(false);
        return cells.Where(c => c.Result is { Status: ResultStatus.Ok })
            .GroupBy(c => c.Cell.Kind)
            .ToDictionary(g => g.Key, g => g.First().Result!.MetricsJson);
    }
}
