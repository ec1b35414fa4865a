using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Non-determinism (two different results for one cell) shows outside its table (issue 12): in `status`, as a
/// marked row of the export, and as exit code 4 of `run` and `coordinator --until-done`.
/// </summary>
public sealed class NonDeterminismTests : IClassFixture<FinishedStoreFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private readonly FinishedStoreFixture _finished;

    public NonDeterminismTests(FinishedStoreFixture finished)
    {
        _finished = finished;
    }

    [Fact]
    public void ACellWithTwoResultsIsShownMarkedAndFailsTheRun()
    {
        using var folder = new TempFolder("nondeterminism");
        string store = _finished.CopyTo(folder);
        string cell = (string)new StoreFile(store).Query("SELECT min(cell_id) FROM results WHERE metrics_json <> ''")[0][0]!;

        // What a second computation with a different answer records (the store's commit compares and writes this row).
        FinishedStoreFixture.Execute(store, $$"""
            INSERT INTO nondeterminism (cell_id, unit_id, node_id, attempt, first_status, first_json, second_status, second_json, at)
            SELECT cell_id, unit_id, 'other-node', attempt + 1, status, metrics_json, status, '{}', created_at FROM results WHERE cell_id = '{{cell}}'
            """);

        var status = CliProcess.Run(Bound, folder.Path, "status", "--store", store);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("1 cells non-deterministic", status.Stdout, StringComparison.Ordinal);

        var export = CliProcess.Run(Bound, folder.Path, "export", "--store", store, "--out", "out");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("warning: 1 cells of sweep tiny were computed twice", export.Stderr, StringComparison.Ordinal);
        var cells = CsvTable.Load(folder["out/cells.csv"]);
        var marked = cells.Rows.Where(r => cells.Value(r, "nondeterministic") == "true").Select(r => cells.Value(r, "cell_id")).ToList();
        Assert.Equal([cell], marked);
        Assert.All(cells.Rows, r => Assert.Contains(cells.Value(r, "nondeterministic"), new[] { "true", "false" }));

        var run = CliProcess.Run(Bound, folder.Path, "run", "grid.yaml", "--store", store);
        CliAssert.OneError(run, 4, "1 cells of sweep tiny were computed twice with different results");

        var coordinator = CliProcess.Run(Bound, folder.Path, "coordinator", "--store", store, "--until-done");
        CliAssert.OneError(coordinator, 4, "1 cells of sweep tiny were computed twice with different results");
    }
}
