using System.Diagnostics;
using System.Globalization;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// The store's disk fills up in the middle of a run (issue 12): the run ends within a bound with one line that says
/// so and what to do, exit code 1, no stack trace; once there is space, the same command finishes the sweep
/// without recomputing what was committed.
/// </summary>
public sealed class FullDiskTests
{
    private const string Grid = """
        name: fill
        d: 20
        N: {logspace: [1, 3, 30]}
        c: [0, 0.1, 0.01]
        seeds: 5
        theory: true
        """;

    private const int Cells = 540;

    [Fact]
    public void ARunOnAFullDiskEndsWithAMessageAndTheSameCommandFinishesOnceThereIsSpace()
    {
        // Room for the submission and some results, not for all of them (measured: about a fifth).
        using var disk = SmallDisk.TryMount(900, out _);
        if (disk is null)
        {
            return;
        }

        using var folder = new TempFolder("full-disk");
        string grid = folder.Write("fill.yaml", Grid);
        var store = new StoreFile(disk["fill.db"]);
        string[] args = ["run", grid, "--store", store.Path, "--out", folder["out"], "--workers", "2"];

        var clock = Stopwatch.StartNew();
        var full = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, args);

        CliAssert.OneError(full, 1, "the disk holding the store is full", "free space there", "run the same command again");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed} to give up on a full disk");
        Assert.False(File.Exists(folder["out/cells.csv"]), "a run that could not store its results wrote exports");

        disk.Grow(64 * 1024);
        long kept = store.Results();
        var rerun = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, args);

        Assert.True(rerun.ExitCode == 0, $"the rerun exited with {rerun.ExitCode}:\n{rerun.Stderr}");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{Cells} cells ({kept} already in the store)"), rerun.Stderr, StringComparison.Ordinal);
        Assert.Equal(Cells, store.Results());
        Assert.Equal(Cells + 1, File.ReadAllLines(folder["out/cells.csv"]).Length);
        var problems = store.CompletionProblems();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
