using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Faults;

/// <summary>
/// The cluster's fault tests: coordinator and worker processes forming one Akka cluster on a 200-unit grid
/// against a real PostgreSQL on 127.0.0.1 (journal and results in the same database). In each case every cell ends with exactly one accepted result, bit-identical to an
/// embedded run of the same grid, and no unit is lost.
/// </summary>
[Collection(ClusterFaultGroup.Name)]
[Trait("Category", "fault")]
public sealed class ClusterFaultTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(3);

    /// <summary>What a coordinator logs when the singleton starts (or recovers) on its node.</summary>
    private const string SingletonStarted = " started at sequence ";
    private readonly ClusterFaultFixture _fixture;

    public ClusterFaultTests(ClusterFaultFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void AWorkerKilledMidUnitLosesNothing()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var (coordinator, workers) = run.StartCluster();
        run.WaitForResults(20, Minute);
        // Freeze a worker that holds a lease, check it still does, then kill it: the kill lands mid-unit.
        int? victim = null;
        for (int attempt = 0; attempt < 50 && victim is null; attempt++)
        {
            if (run.WorkerHoldingALease() is int pid)
            {
                ClusterRun.Signal(pid, "STOP");
                if (run.HoldsLease(pid))
                {
                    victim = pid;
                }
                else
                {
                    ClusterRun.Signal(pid, "CONT");
                }
            }
        }

        Assert.True(victim is not null, "could not catch a worker while it held a lease");
        string victimAddress = run.MemberAddress(victim!.Value) ?? throw new Xunit.Sdk.XunitException("the frozen worker never reported itself to the store");

        // `status` shows the members from their reports in the store. While the victim is frozen the sweep cannot
        // finish, so the coordinator is still there to be seen up.
        string[] before = run.Status().Stdout.Split('\n');
        Assert.Contains(before, l => l.Contains(" coordinator ", StringComparison.Ordinal) && l.Contains(" up ", StringComparison.Ordinal));
        Assert.Contains(before, l => l.Contains(" worker ", StringComparison.Ordinal) && l.Contains(" up ", StringComparison.Ordinal));

        ClusterRun.Signal(victim.Value, "KILL");
        Assert.True(run.Process(victim.Value).TryWaitForExit(TimeSpan.FromSeconds(10)), "the killed worker is still running");

        // The killed worker never withdraws its report: it goes stale and shows as unreachable, whatever the others do meanwhile.
        Poll.Until(
            () => MemberLine(run.Status().Stdout, victimAddress)?.Contains(" unreachable ", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30),
            "status showing the killed worker as unreachable");

        run.AssertExits(coordinator, 0, Finish, "the coordinator");
        run.AssertWorkersExit(workers.Where(w => w.Pid != victim), Minute);

        run.AssertCompleteAndIdentical();
        Assert.True(run.Events("node_dead") + run.Events("lease_expired") >= 1, "the dead worker's units were never taken over");
    }

    private static string? MemberLine(string status, string address) =>
        status.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(address + " ", StringComparison.Ordinal));

    [Fact]
    public void TheCoordinatorCanBeKilledAndRestarted()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var (first, workers) = run.StartCluster();
        run.WaitForResults(30, Minute);
        ClusterRun.Signal(first.Pid, "KILL");
        Assert.True(first.TryWaitForExit(TimeSpan.FromSeconds(10)), "the killed coordinator is still running");

        var second = run.StartCoordinator();
        run.AssertExits(second, 0, Finish, "the restarted coordinator");
        run.AssertWorkersExit(workers, Minute);

        run.AssertCompleteAndIdentical();
        Assert.Equal(1, run.Events("sweep_finished"));
    }

    [Fact]
    public void KillingTheSingletonsHostMovesTheCoordinatorToTheStandbyWhichRecoversFromTheJournal()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var first = run.StartCoordinator();
        Poll.Until(() => first.StderrSoFar.Contains(SingletonStarted, StringComparison.Ordinal), Minute, "the first coordinator to host the singleton", first);
        var standby = run.StartCoordinator();
        var workers = Enumerable.Range(0, 3).Select(_ => run.StartWorker()).ToArray();
        run.WaitForResults(40, Minute);
        Assert.DoesNotContain(SingletonStarted, standby.StderrSoFar, StringComparison.Ordinal);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ClusterRun.Signal(first.Pid, "KILL");
        Poll.Until(() => standby.StderrSoFar.Contains(SingletonStarted, StringComparison.Ordinal), Minute, "the standby to take over the singleton", standby);
        var takeover = clock.Elapsed;
        long atTakeover = run.Results;
        run.WaitForResults(atTakeover + 10, Minute);
        var flowing = clock.Elapsed;

        run.AssertExits(standby, 0, Finish, "the standby coordinator");
        run.AssertWorkersExit(workers, Minute);
        run.AssertCompleteAndIdentical();

        // The new incarnation recovered the hand-outs and completions from the journal instead of starting empty.
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"Coordinator \S+ started at sequence [1-9]\d*: 1 sweeps, 200 units"), standby.StderrSoFar);
        Assert.True(takeover < TimeSpan.FromSeconds(30), $"the singleton took {takeover.TotalSeconds:0.0} s to move");
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"singleton failover: {takeover.TotalSeconds:0.0} s to the new incarnation, {flowing.TotalSeconds:0.0} s until 10 more units were committed"));
    }

    [Fact]
    public void APostgresRestartMidSweepIsSurvived()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var (coordinator, workers) = run.StartCluster();
        run.WaitForResults(30, Minute);
        long before = run.Results;
        PostgresServer.Restart();
        Assert.True(before < 200, "the sweep finished before the restart; the test proved nothing");

        run.AssertExits(coordinator, 0, Finish, "the coordinator");
        run.AssertWorkersExit(workers, Minute);

        run.AssertCompleteAndIdentical();
    }

    [Fact]
    public void AWorkerStoppedPastItsLeaseNeitherCorruptsNorDuplicatesResults()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var (coordinator, workers) = run.StartCluster();
        run.WaitForResults(20, Minute);

        // Stop a worker while it holds a lease (retry if it committed in between).
        int stopped = 0;
        for (int attempt = 0; attempt < 20 && stopped == 0; attempt++)
        {
            if (run.WorkerHoldingALease() is int pid)
            {
                ClusterRun.Signal(pid, "STOP");
                if (run.HoldsLease(pid))
                {
                    stopped = pid;
                }
                else
                {
                    ClusterRun.Signal(pid, "CONT");
                }
            }
        }

        Assert.True(stopped != 0, "could not stop a worker while it held a lease");

        // The others finish the sweep, including the stopped worker's unit once its lease is gone.
        run.AssertExits(coordinator, 0, Finish, "the coordinator");
        ClusterRun.Signal(stopped, "CONT");
        run.AssertWorkersExit(workers, Minute);

        run.AssertCompleteAndIdentical();

        // Frozen, the worker fell silent and its units went to the others (when it went silent or when it was
        // downed, whichever came first); resumed, it found itself removed and came back as a new member, which
        // then found nothing left and exited 0.
        Assert.True(run.Events("node_dead") + run.Events("lease_expired") >= 1, "the stopped worker's units were never taken back");
        Assert.Contains("rejoining as a new member", run.Process(stopped).StderrSoFar, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCoordinatorsAtOnceDoNotDoubleCount()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var run = new ClusterRun(_fixture, url);
        var a = run.StartCoordinator();
        var b = run.StartCoordinator();
        var workers = Enumerable.Range(0, 3).Select(_ => run.StartWorker()).ToArray();
        run.AssertExits(a, 0, Finish, "coordinator A");
        run.AssertExits(b, 0, Finish, "coordinator B");
        run.AssertWorkersExit(workers, Minute);

        run.AssertCompleteAndIdentical();
        Assert.Equal(1, run.Events("sweep_finished"));
        Assert.Equal(200, run.Events("unit_completed") + run.Events("unit_completed_late"));
    }
}
