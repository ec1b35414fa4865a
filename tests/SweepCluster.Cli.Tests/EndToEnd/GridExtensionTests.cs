using System.Globalization;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>An edited grid run into the same store computes only its new cells and keeps the old results as they were.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class GridExtensionTests
{
    /// <summary>2 N x 2 spectra x 2 ridges = 8 grid points, 3 seeds: 24 simulation + 8 theory cells.</summary>
    private const string GridA = """
        name: extend
        d: 30
        N: [20, 60]
        k: [0, 1]
        c: [1e-4, 1e-2]
        seeds: 3
        """;

    /// <summary>The same sweep with one more ridge: 12 grid points, 36 simulation + 12 theory cells, 16 of them new.</summary>
    private const string GridB = """
        name: extend
        d: 30
        N: [20, 60]
        k: [0, 1]
        c: [1e-4, 1e-2, 1e-1]
        seeds: 3
        """;

    private const int CellsA = 32;
    private const int CellsB = 48;

    [Fact]
    public void AddingAnAxisValueComputesOnlyTheNewCellsAndKeepsTheOldOnes()
    {
        using var folder = new TempFolder("extend");
        var store = new StoreFile(folder["extend.db"]);
        string grid = folder.Write("extend.yaml", GridA);
        var first = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", grid, "--store", store.Path, "--out", folder["a"], "--workers", "2");
        Assert.True(first.ExitCode == 0, $"run of grid A exited with {first.ExitCode}:\n{first.Stderr}");
        Assert.Contains($"{CellsA} cells (0 already in the store)", first.Stderr, StringComparison.Ordinal);
        var resultsA = ResultRows(store);
        Assert.Equal(CellsA, resultsA.Count);
        var cellsA = CsvTable.Load(folder["a/cells.csv"]);
        long lastSeqA = store.Events()[^1].Seq;

        // The same file, edited: one more value of c.
        File.WriteAllText(grid, GridB);
        var second = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", grid, "--store", store.Path, "--out", folder["b"], "--workers", "2");
        Assert.True(second.ExitCode == 0, $"run of grid A' exited with {second.ExitCode}:\n{second.Stderr}");
        Assert.Contains($"{CellsB} cells ({CellsA} already in the store)", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("Resuming sweep extend", second.Stderr, StringComparison.Ordinal);

        // Old results untouched (same row, same time, same unit and node); exactly the new cells added.
        var resultsB = ResultRows(store);
        Assert.Equal(CellsB, resultsB.Count);
        foreach (var (cell, row) in resultsA)
        {
            Assert.True(resultsB.TryGetValue(cell, out string? now), $"the result of cell {cell} vanished");
            Assert.Equal(row, now);
        }

        // The journal after the second submit: claims and completions only of units made of new cells.
        var newCells = resultsB.Keys.Except(resultsA.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(CellsB - CellsA, newCells.Count);
        var later = store.Events().Where(e => e.Seq > lastSeqA).ToList();
        var submitted = later.Where(e => e.Kind == "sweep_submitted").ToList();
        Assert.Single(submitted);
        var unitCells = store.Query("SELECT unit_id, cell_id FROM unit_cells")
            .GroupBy(r => (string)r[0]!, r => (string)r[1]!)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var touched = later.Where(e => e.Kind is "unit_claimed" or "unit_completed" or "unit_completed_late").Select(e => e.UnitId!).Distinct().ToList();
        Assert.NotEmpty(touched);
        foreach (string unit in touched)
        {
            var oldCells = unitCells[unit].Where(c => !newCells.Contains(c)).ToList();
            Assert.True(oldCells.Count == 0, $"unit {unit}, run after the edit, holds {oldCells.Count} cells computed before it ({string.Join(", ", oldCells)})");
        }

        int completedAfterEdit = later.Count(e => e.Kind is "unit_completed" or "unit_completed_late");
        Assert.Equal(newCells.Count, later.Where(e => e.Kind is "unit_completed" or "unit_completed_late").Sum(e => unitCells[e.UnitId!].Count));
        Assert.True(completedAfterEdit > 0);
        var problems = store.CompletionProblems();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // cells.csv of A' holds every row of A's, field for field.
        var cellsB = CsvTable.Load(folder["b/cells.csv"]);
        Assert.Equal(CellsB, cellsB.Rows.Count);
        Assert.Equal(cellsA.Header, cellsB.Header);
        var byId = cellsB.Rows.ToDictionary(r => cellsB.Value(r, "cell_id"), StringComparer.Ordinal);
        foreach (var row in cellsA.Rows)
        {
            string id = cellsA.Value(row, "cell_id");
            Assert.True(byId.TryGetValue(id, out var inB), $"cell {id} of grid A is missing from the cells.csv of A'");
            Assert.Equal(row, inB);
        }

        Assert.All(cellsB.Rows, r => Assert.Equal("ok", cellsB.Value(r, "status")));
        Assert.Equal(3, cellsB.Rows.Select(r => cellsB.Value(r, "c")).Distinct().Count());
    }

    /// <summary>The results table as cell id -> the whole row as text.</summary>
    private static Dictionary<string, string> ResultRows(StoreFile store) =>
        store.Query("SELECT cell_id, status, metrics_json, unit_id, node_id, attempt, created_at FROM results")
            .ToDictionary(
                r => (string)r[0]!,
                r => string.Join("|", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
                StringComparer.Ordinal);
}
