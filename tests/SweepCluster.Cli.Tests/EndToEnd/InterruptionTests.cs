using System.Diagnostics;
using System.Globalization;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// `sweep run` killed with SIGKILL or stopped with SIGTERM in the middle of a grid, then run again: the
/// exports equal those of an uninterrupted run byte for byte and the journal shows every unit committed once.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class InterruptionTests(InterruptionGridFixture reference)
{
    private const int SigKillExitCode = 128 + 9;

    /// <summary>
    /// For SIGTERM: big enough (462 units, 924 cells, about 17 s of predicted work on 2 cores) that plenty of work is left
    /// when the signal comes, even if the signal took a few seconds to act.
    /// </summary>
    private const string DrainGrid = """
        name: drain
        d: 300
        N: {logspace: [1.5, 3.8, 14]}
        k: [0, 1, 2]
        c: [1e-4, 1e-2]
        seeds: 10
        theory: true
        """;

    private const int DrainCells = 924;

    private const int DrainUnits = 462;

    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;

    [Fact]
    public void KilledTwiceWithSigkillThenRerunGivesTheUninterruptedExportsAndCommitsEveryUnitOnce()
    {
        // The reference first, so that its run does not share the cores with the runs below.
        byte[] expectedCells = reference.CellsCsv;
        byte[] expectedSummary = reference.SummaryCsv;

        using var folder = new TempFolder("crash");
        string grid = folder.Write("interrupt.yaml", InterruptionGridFixture.Grid);
        var store = new StoreFile(folder["crash.db"]);
        string[] args = ["run", grid, "--store", store.Path, "--out", folder["out"], "--workers", "2"];

        // First kill early, second kill while the next run works through the units the first left pending.
        long afterFirst = RunAndKill(folder, args, store, atLeast: 60);
        var status = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "status", "--store", store.Path);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("running or interrupted", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Create(_inv, $"{afterFirst}/{InterruptionGridFixture.Cells} with results"), status.Stdout, StringComparison.Ordinal);
        var committedAtFirstKill = CompletedUnits(store);
        long lastSeqAtFirstKill = store.Events()[^1].Seq;

        long afterSecond = RunAndKill(folder, args, store, atLeast: afterFirst + 60);
        Assert.True(afterSecond > afterFirst, $"the second run committed nothing before it was killed ({afterFirst} -> {afterSecond} results)");
        Assert.False(File.Exists(folder["out/cells.csv"]), "a killed run wrote exports");

        var clock = Stopwatch.StartNew();
        var rerun = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, args);
        Assert.True(rerun.ExitCode == 0, $"the rerun exited with {rerun.ExitCode}:\n{rerun.Stderr}");
        Assert.Contains(string.Create(_inv, $"{InterruptionGridFixture.Cells} cells ({afterSecond} already in the store)"), rerun.Stderr, StringComparison.Ordinal);

        Assert.True(expectedCells.AsSpan().SequenceEqual(File.ReadAllBytes(folder["out/cells.csv"])), "cells.csv after two kills and a rerun differs from the uninterrupted run's");
        Assert.True(expectedSummary.AsSpan().SequenceEqual(File.ReadAllBytes(folder["out/summary.csv"])), "summary.csv after two kills and a rerun differs from the uninterrupted run's");

        Assert.Equal(InterruptionGridFixture.Cells, store.Results());
        Assert.Equal(InterruptionGridFixture.Units, store.Scalar("SELECT count(*) FROM units WHERE state = 'done'"));
        Assert.Equal(0, store.Scalar("SELECT count(*) FROM nondeterminism"));
        var problems = store.CompletionProblems();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        AssertNotClaimedAfterCompletion(store);
        Assert.True(committedAtFirstKill.Count > 0, "nothing was committed before the first kill");
        var claimedLater = store.Events().Where(e => e.Seq > lastSeqAtFirstKill && e.Kind == "unit_claimed" && committedAtFirstKill.Contains(e.UnitId!)).ToList();
        Assert.True(claimedLater.Count == 0, $"{claimedLater.Count} units committed before the first kill were claimed again");
        // The units in flight at the kills stayed leased by dead nodes; the rerun took them over, either when the
        // coordinator declared the dead node gone (node_dead, then its leases released) or at lease expiry.
        Assert.True(
            store.Events().Any(e => e.Kind == "lease_expired") || store.Events().Any(e => e.Kind == "node_dead"),
            "neither node_dead nor lease_expired: no unit was in flight at either kill, so the takeover path was not exercised");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the rerun took {clock.Elapsed}");
    }

    [Fact]
    public void SigtermDrainsExitsWith130AndTheRerunComputesOnlyWhatWasNotCommitted()
    {
        using var folder = new TempFolder("sigterm");
        string grid = folder.Write("drain.yaml", DrainGrid);
        var store = new StoreFile(folder["term.db"]);
        string[] args = ["run", grid, "--store", store.Path, "--out", folder["out"], "--workers", "2"];

        // What the drain promises (README, SignalDrain): on SIGTERM stop claiming at once, finish and commit the
        // units in flight, exit 130. Violations are collected and asserted last, after the rerun checks.
        var drainProblems = new List<string>();
        using (var run = CliProcess.Start(folder.Path, null, args))
        {
            Poll.Until(() => store.TryScalar("SELECT count(*) FROM results") >= 40, TimeSpan.FromSeconds(60), "40 results in the store", run);
            long seqAtSignal = store.Events()[^1].Seq;
            var clock = Stopwatch.StartNew();
            run.Terminate();
            Poll.Until(() => run.HasExited || run.StderrSoFar.Contains("SIGTERM received", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the SIGTERM message");
            var acknowledged = clock.Elapsed;
            Assert.True(run.TryWaitForExit(TimeSpan.FromSeconds(15)), $"sweep run did not exit within 15 s of SIGTERM:\n{run.StderrSoFar}");
            var exited = clock.Elapsed;
            string stderr = run.StderrSoFar;

            if (run.ExitCode != 130)
            {
                drainProblems.Add(string.Create(_inv, $"exit code {run.ExitCode} after SIGTERM, expected 130 (interrupted) from the drain; 143 is 128 + SIGTERM, the code System.CommandLine's own termination handler returns when the action has not finished within its ProcessTerminationTimeout (2 s by default)"));
            }

            if (!stderr.Contains("SIGTERM received", StringComparison.Ordinal) || acknowledged > TimeSpan.FromSeconds(1))
            {
                drainProblems.Add(string.Create(_inv, $"the drain started {acknowledged.TotalSeconds:0.00} s after SIGTERM (the 'SIGTERM received' line), expected well under 1 s"));
            }

            if (!stderr.Contains("Run the same command again to resume", StringComparison.Ordinal))
            {
                drainProblems.Add("the run never logged the end of its drain ('Interrupted after N units ... Run the same command again to resume')");
            }

            if (exited > TimeSpan.FromSeconds(5))
            {
                drainProblems.Add(string.Create(_inv, $"the process took {exited.TotalSeconds:0.0} s to exit after SIGTERM"));
            }

            int claimedAfterSignal = store.Events().Count(e => e.Seq > seqAtSignal && e.Kind == "unit_claimed");
            if (claimedAfterSignal > 2)
            {
                drainProblems.Add(string.Create(_inv, $"{claimedAfterSignal} units were claimed after SIGTERM (at most the 2 of a claim already under way are expected)"));
            }

            long leased = store.Scalar("SELECT count(*) FROM units WHERE state = 'leased'");
            if (leased > 0)
            {
                drainProblems.Add(string.Create(_inv, $"{leased} units are still leased after the exit: their work was dropped instead of committed or released, and the rerun must wait for the leases (30 s) to expire"));
            }
        }

        long committed = store.Results();
        Assert.True(committed < DrainCells, $"the run finished ({committed} results) before SIGTERM took effect; the grid is too small for this machine");
        var problemsAfterSignal = store.CompletionProblems();
        Assert.True(problemsAfterSignal.Count == 0, string.Join("\n", problemsAfterSignal));
        var committedUnits = CompletedUnits(store);
        long lastSeq = store.Events()[^1].Seq;

        var rerun = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, args);
        Assert.True(rerun.ExitCode == 0, $"the rerun exited with {rerun.ExitCode}:\n{rerun.Stderr}");
        Assert.Contains(string.Create(_inv, $"{DrainCells} cells ({committed} already in the store)"), rerun.Stderr, StringComparison.Ordinal);

        var later = store.Events().Where(e => e.Seq > lastSeq).ToList();
        var reclaimed = later.Where(e => e.Kind == "unit_claimed" && committedUnits.Contains(e.UnitId!)).Select(e => e.UnitId).Distinct().ToList();
        Assert.True(reclaimed.Count == 0, $"the rerun claimed {reclaimed.Count} units committed before SIGTERM: {string.Join(", ", reclaimed.Take(5))}");
        int completedByRerun = later.Count(e => e.Kind is "unit_completed" or "unit_completed_late");
        Assert.Equal(DrainUnits - committedUnits.Count, completedByRerun);
        var problems = store.CompletionProblems();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        AssertNotClaimedAfterCompletion(store);
        Assert.Equal(DrainCells + 1, File.ReadAllLines(folder["out/cells.csv"]).Length);

        Assert.True(drainProblems.Count == 0, $"SIGTERM did not drain:\n- {string.Join("\n- ", drainProblems)}");
    }

    [Fact]
    public void CtrlCDrainsLikeSigterm()
    {
        using var folder = new TempFolder("sigint");
        string grid = folder.Write("drain.yaml", DrainGrid);
        var store = new StoreFile(folder["int.db"]);
        var problems = new List<string>();
        using (var run = CliProcess.Start(folder.Path, null, "run", grid, "--store", store.Path, "--out", folder["out"], "--workers", "2"))
        {
            Poll.Until(() => store.TryScalar("SELECT count(*) FROM results") >= 40, TimeSpan.FromSeconds(60), "40 results in the store", run);
            var clock = Stopwatch.StartNew();
            run.Interrupt();
            Poll.Until(() => run.HasExited || run.StderrSoFar.Contains("SIGINT received", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the SIGINT message", run);
            var acknowledged = clock.Elapsed;
            Assert.True(run.TryWaitForExit(TimeSpan.FromSeconds(15)), $"sweep run did not exit within 15 s of SIGINT:\n{run.StderrSoFar}");
            string stderr = run.StderrSoFar;

            // 130 is also what System.CommandLine returns when it gives up on the action, so the exit code alone proves nothing here.
            if (run.ExitCode != 130)
            {
                problems.Add(string.Create(_inv, $"exit code {run.ExitCode} after SIGINT, expected 130"));
            }

            if (!stderr.Contains("SIGINT received", StringComparison.Ordinal) || acknowledged > TimeSpan.FromSeconds(1))
            {
                problems.Add(string.Create(_inv, $"the drain started {acknowledged.TotalSeconds:0.00} s after SIGINT (the 'SIGINT received' line), expected well under 1 s"));
            }

            if (!stderr.Contains("Run the same command again to resume", StringComparison.Ordinal))
            {
                problems.Add("the run never logged the end of its drain ('Interrupted after N units ... Run the same command again to resume'): it was ended before the drain finished");
            }
        }

        Assert.True(store.Results() < DrainCells, "the run finished before SIGINT took effect; the grid is too small for this machine");
        long leased = store.Scalar("SELECT count(*) FROM units WHERE state = 'leased'");
        if (leased > 0)
        {
            problems.Add(string.Create(_inv, $"{leased} units are still leased after the exit: the units in flight were dropped, not finished"));
        }

        Assert.True(problems.Count == 0, $"Ctrl-C (SIGINT) did not drain:\n- {string.Join("\n- ", problems)}");
    }

    [Fact]
    public void OneWorkerAndTwoWorkersGiveByteIdenticalCellsAndSummary()
    {
        byte[] twoWorkersCells = reference.CellsCsv;
        byte[] twoWorkersSummary = reference.SummaryCsv;

        using var folder = new TempFolder("workers");
        string grid = folder.Write("interrupt.yaml", InterruptionGridFixture.Grid);
        var run = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", grid, "--store", folder["one.db"], "--out", folder["out"], "--workers", "1");
        Assert.True(run.ExitCode == 0, $"sweep run --workers 1 exited with {run.ExitCode}:\n{run.Stderr}");
        Assert.Contains("with 1 slots", run.Stderr, StringComparison.Ordinal);

        byte[] oneWorkerCells = File.ReadAllBytes(folder["out/cells.csv"]);
        Assert.Equal(InterruptionGridFixture.Cells + 1, File.ReadAllLines(folder["out/cells.csv"]).Length);
        Assert.True(twoWorkersCells.AsSpan().SequenceEqual(oneWorkerCells), $"cells.csv differs between --workers 1 and --workers 2: {FirstDifference(twoWorkersCells, oneWorkerCells)}");
        byte[] oneWorkerSummary = File.ReadAllBytes(folder["out/summary.csv"]);
        Assert.True(twoWorkersSummary.AsSpan().SequenceEqual(oneWorkerSummary), $"summary.csv differs between --workers 1 and --workers 2: {FirstDifference(twoWorkersSummary, oneWorkerSummary)}");
    }

    /// <summary>Starts the run, SIGKILLs it once the store holds at least <paramref name="atLeast"/> results, checks it is dead; returns the results then.</summary>
    private static long RunAndKill(TempFolder folder, string[] args, StoreFile store, long atLeast)
    {
        using var run = CliProcess.Start(folder.Path, null, args);
        Poll.Until(() => store.TryScalar("SELECT count(*) FROM results") >= atLeast, TimeSpan.FromSeconds(180), $"{atLeast} results in the store", run);
        run.KillHard();
        Assert.True(run.TryWaitForExit(TimeSpan.FromSeconds(10)), "the process survived SIGKILL for 10 s");
        Assert.Equal(SigKillExitCode, run.ExitCode);
        Assert.True(run.IsGone, $"process {run.Pid} still exists after SIGKILL");
        long results = store.Results();
        Assert.True(results < InterruptionGridFixture.Cells, $"the run finished ({results} results) before it was killed; the grid is too small for this machine");
        return results;
    }

    private static HashSet<string> CompletedUnits(StoreFile store) =>
        store.Events().Where(e => e.Kind is "unit_completed" or "unit_completed_late").Select(e => e.UnitId!).ToHashSet(StringComparer.Ordinal);

    /// <summary>A committed unit is never handed out again: no unit_claimed after a unit's completion.</summary>
    private static void AssertNotClaimedAfterCompletion(StoreFile store)
    {
        var completedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var e in store.Events())
        {
            if (e.UnitId is null)
            {
                continue;
            }

            if (e.Kind is "unit_completed" or "unit_completed_late")
            {
                completedAt.TryAdd(e.UnitId, e.Seq);
            }
            else if (e.Kind == "unit_claimed" && completedAt.TryGetValue(e.UnitId, out long seq))
            {
                violations.Add(string.Create(_inv, $"unit {e.UnitId} completed at seq {seq}, claimed again at seq {e.Seq}"));
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        string[] a = System.Text.Encoding.UTF8.GetString(expected).Split('\n');
        string[] b = System.Text.Encoding.UTF8.GetString(actual).Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return string.Create(_inv, $"line {i + 1}:\n  expected {a[i]}\n  actual   {b[i]}");
            }
        }

        return string.Create(_inv, $"{a.Length} lines against {b.Length}");
    }
}
