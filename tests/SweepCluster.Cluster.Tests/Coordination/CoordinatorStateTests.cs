using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Tests.Coordination;

/// <summary>The coordinator's pure state: decisions return events, Apply is the only way to a new state.</summary>
public sealed class CoordinatorStateTests
{
    private static readonly RetryPolicy Policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    private static CoordinatorState Accept(params (string Id, double Cost)[] units)
    {
        var state = CoordinatorState.Empty;
        foreach (var e in state.Reconcile("s", units.Select(u => new AcceptedUnit(u.Id, u.Cost, false, false)).ToArray()))
        {
            state = state.Apply(e);
        }

        return state;
    }

    private static CoordinatorState Give(CoordinatorState state, string node, long request, int count, double now, out UnitsHandedOut handedOut)
    {
        handedOut = state.HandOut(node, request, count, now) ?? throw new InvalidOperationException("nothing handed out");
        return state.Apply(handedOut);
    }

    [Fact]
    public void HandOutGivesTheMostExpensiveDueUnitsFirstThenById()
    {
        var state = Accept(("b", 5), ("a", 5), ("c", 9), ("d", 1));

        var handedOut = state.HandOut("w1", 1, 3, 0)!;

        Assert.Equal(["c", "a", "b"], handedOut.Units.Select(t => t.UnitId));
        Assert.All(handedOut.Units, t => Assert.Equal(1, t.Attempt));
    }

    [Fact]
    public void HandedOutUnitsAreHeldAndNotHandedOutAgain()
    {
        var state = Give(Accept(("a", 2), ("b", 1)), "w1", 1, 1, 0, out _);

        var next = state.HandOut("w2", 1, 5, 0)!;

        Assert.Equal(["b"], next.Units.Select(t => t.UnitId));
        Assert.Equal("w1", state.Units["a"].Owner);
        Assert.Equal(UnitPhase.HandedOut, state.Units["a"].Phase);
        Assert.Equal(1, state.OpenCount);
    }

    [Fact]
    public void ARepeatedRequestGetsTheSameUnitsAndAnOlderOneNothing()
    {
        var state = Give(Accept(("a", 2), ("b", 1)), "w1", 7, 2, 0, out var first);

        Assert.Equal(first.Units, state.RepeatedRequest("w1", 7));
        Assert.Empty(state.RepeatedRequest("w1", 6)!);
        Assert.Null(state.RepeatedRequest("w1", 8));
        Assert.Null(state.RepeatedRequest("w2", 7));
    }

    [Fact]
    public void CompletionCountsOnceAndALateOneStillCompletesAnUnfinishedUnit()
    {
        var state = Give(Accept(("a", 2), ("b", 1)), "w1", 1, 2, 0, out _);

        var done = state.Complete("w1", [new UnitTicket("a", 1)])!;
        state = state.Apply(done);
        Assert.Null(state.Complete("w1", [new UnitTicket("a", 1)]));
        Assert.Equal(1, state.Sweeps["s"].Done);

        // Another node's report under an old attempt: the results are in the store, so it counts.
        var late = state.Complete("w9", [new UnitTicket("b", 0)]);
        Assert.NotNull(late);
        state = state.Apply(late);
        Assert.Equal(2, state.Sweeps["s"].Done);
        Assert.True(state.Sweeps["s"].AllSettled);
    }

    [Fact]
    public void ACrashWaitsForItsBackoffAndTheAttemptLimitFailsTheUnitForGood()
    {
        var state = Accept(("a", 1));
        double now = 100;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            state = Give(state, "w1", attempt, 1, now, out var handedOut);
            Assert.Equal(attempt, handedOut.Units[0].Attempt);
            Assert.Null(state.Crash("w2", handedOut.Units[0], "boom", now, Policy));
            Assert.Null(state.Crash("w1", handedOut.Units[0] with { Attempt = attempt - 1 }, "boom", now, Policy));
            var crash = state.Crash("w1", handedOut.Units[0], "boom", now, Policy)!;
            Assert.Equal(attempt == 3, crash.FailedForGood);
            Assert.Equal(now + Policy.Delay(attempt).TotalSeconds, crash.RetryAt);
            state = state.Apply(crash);
            if (attempt < 3)
            {
                Assert.Null(state.HandOut("w1", 99, 1, crash.RetryAt - 0.001));
                now = crash.RetryAt;
            }
        }

        Assert.Equal(UnitPhase.Failed, state.Units["a"].Phase);
        Assert.Equal(1, state.Sweeps["s"].Failed);
        Assert.True(state.Sweeps["s"].AllSettled);
        Assert.Null(state.HandOut("w1", 100, 1, 1e9));
    }

    [Fact]
    public void AReturnedUnitUsesNoAttemptButKeepsItsAttemptNumberGrowing()
    {
        var state = Give(Accept(("a", 1)), "w1", 1, 1, 0, out var first);
        Assert.Null(state.Return("w2", first.Units, "drain", 0));

        state = state.Apply(state.Return("w1", first.Units, "drain", 0)!);

        Assert.Equal(UnitPhase.Open, state.Units["a"].Phase);
        Assert.Equal(0, state.Units["a"].AttemptsUsed);
        var second = state.HandOut("w2", 1, 1, 0)!;
        Assert.Equal(2, second.Units[0].Attempt);
    }

    [Fact]
    public void AWorkerThatLeavesLosesExactlyItsUnitsAndTheAttemptCounts()
    {
        var state = Give(Accept(("a", 3), ("b", 2), ("c", 1)), "w1", 1, 2, 0, out _);
        state = Give(state, "w2", 1, 1, 0, out _);

        var released = state.ReleaseWorker("w1", "left", 10, Policy)!;

        Assert.Equal(["a", "b"], released.Reopened.Select(t => t.UnitId).Order());
        Assert.Empty(released.FailedForGood);
        state = state.Apply(released);
        Assert.Equal(UnitPhase.HandedOut, state.Units["c"].Phase);
        Assert.Equal(1, state.Units["a"].AttemptsUsed);
        Assert.Null(state.ReleaseWorker("w1", "left", 10, Policy));
    }

    [Fact]
    public void ReleaseIgnoresStaleTicketsAndFailsUnitsAtTheLimit()
    {
        var state = Accept(("a", 1));
        UnitsHandedOut handedOut = null!;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            state = Give(state, "w1", attempt, 1, 1000 * attempt, out handedOut);
            if (attempt < 3)
            {
                state = state.Apply(state.Release(handedOut.Units, "silent", 1000 * attempt, Policy)!);
            }
        }

        Assert.Null(state.Release([handedOut.Units[0] with { Attempt = 1 }], "silent", 5000, Policy));
        var last = state.Release(handedOut.Units, "silent", 5000, Policy)!;
        Assert.Equal(["a"], last.FailedForGood.Select(t => t.UnitId));
        state = state.Apply(last);
        Assert.Equal(UnitPhase.Failed, state.Units["a"].Phase);
    }

    [Fact]
    public void ReconcileAcceptsNewUnitsCompletesStoreResultsAndRequeuesRetriedFailures()
    {
        var state = Accept(("a", 1), ("b", 1), ("c", 1));
        state = Give(state, "w1", 1, 1, 0, out var handedOut);
        string failedId = handedOut.Units[0].UnitId;
        state = state.Apply(state.Release(handedOut.Units, "x", 0, new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))!);
        Assert.Equal(UnitPhase.Failed, state.Units[failedId].Phase);

        var view = new[]
        {
            new AcceptedUnit("a", 1, Done: failedId != "a", Failed: false),
            new AcceptedUnit("b", 1, Done: false, Failed: false),
            new AcceptedUnit("c", 1, Done: false, Failed: false),
            new AcceptedUnit("d", 4, Done: false, Failed: false),
        };
        var events = state.Reconcile("s", view);
        foreach (var e in events)
        {
            state = state.Apply(e);
        }

        Assert.Contains(events, e => e is SweepAccepted { Units.Count: 1 });
        Assert.Contains(events, e => e is FailedUnitsRequeued r && r.UnitIds.SequenceEqual([failedId]));
        Assert.Equal(UnitPhase.Open, state.Units[failedId].Phase);
        Assert.Equal(0, state.Units[failedId].AttemptsUsed);
        Assert.Equal(4, state.Sweeps["s"].Units);
        Assert.Empty(state.Reconcile("s", view));
        Assert.Equal(2, state.HandOut("w1", 2, 9, 0)!.Units.Single(t => t.UnitId == failedId).Attempt);
    }

    [Fact]
    public void ASweepFinishesOnceAndNewUnitsOpenItAgain()
    {
        var state = Give(Accept(("a", 1)), "w1", 1, 1, 0, out var handedOut);
        state = state.Apply(state.Complete("w1", handedOut.Units)!);

        var finished = state.Finish(5);
        Assert.Equal(["s"], finished.Select(f => f.SweepId));
        state = state.Apply(finished[0]);
        Assert.Empty(state.Finish(6));

        foreach (var e in state.Reconcile("s", [new AcceptedUnit("a", 1, true, false), new AcceptedUnit("z", 1, false, false)]))
        {
            state = state.Apply(e);
        }

        Assert.False(state.Sweeps["s"].Finished);
        Assert.Equal(1, state.UnsettledCount);
    }

    [Fact]
    public void ASweepWithNoUnitsLeftIsAcceptedAndFinishes()
    {
        var state = CoordinatorState.Empty;
        foreach (var e in state.Reconcile("empty", []))
        {
            state = state.Apply(e);
        }

        Assert.True(state.Sweeps.ContainsKey("empty"));
        Assert.Single(state.Finish(0));
    }

    [Fact]
    public void ASnapshotRestoresAStateThatDecidesExactlyTheSame()
    {
        var state = Accept(("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1));
        state = Give(state, "w1", 3, 2, 0, out var handedOut);
        state = state.Apply(state.Complete("w1", [handedOut.Units[0]])!);

        var restored = CoordinatorState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(state.HandOut("w2", 1, 10, 0)!.Units, restored.HandOut("w2", 1, 10, 0)!.Units);
        Assert.Equal(state.RepeatedRequest("w1", 3), restored.RepeatedRequest("w1", 3));
        Assert.Equal(state.Sweeps["s"], restored.Sweeps["s"]);
        Assert.Equal(state.Units.Values.OrderBy(u => u.UnitId), restored.Units.Values.OrderBy(u => u.UnitId));
    }

    [Fact]
    public void RandomOperationsKeepTheCountsAndNeverRepeatAnAttempt()
    {
        const int seed = 20261204;
        var random = new Random(seed);
        var initial = Accept(Enumerable.Range(0, 40).Select(i => ($"u{i:00}", (double)random.Next(1, 5))).ToArray());
        var state = initial;
        var events = new List<ICoordinatorEvent>();
        var handedAttempts = new HashSet<(string, int)>();
        string[] workers = ["w1", "w2", "w3"];
        long request = 0;
        double now = 0;
        for (int step = 0; step < 2000; step++)
        {
            now += random.NextDouble();
            string worker = workers[random.Next(workers.Length)];
            var held = state.HeldBy(worker).Select(u => u.Ticket).ToArray();
            ICoordinatorEvent? e = random.Next(6) switch
            {
                0 => state.HandOut(worker, ++request, random.Next(1, 4), now),
                1 when held.Length > 0 => state.Complete(worker, [held[random.Next(held.Length)]]),
                2 when held.Length > 0 => state.Crash(worker, held[random.Next(held.Length)], "boom", now, Policy),
                3 when held.Length > 0 => state.Return(worker, [held[0]], "drain", now),
                4 => state.ReleaseWorker(worker, "left", now, Policy),
                _ => null,
            };
            if (e is UnitsHandedOut h)
            {
                Assert.All(h.Units, t => Assert.True(handedAttempts.Add((t.UnitId, t.Attempt)), $"attempt handed out twice (seed {seed}, step {step})"));
            }

            if (e is not null)
            {
                var before = state;
                state = state.Apply(e);
                events.Add(e);
                Assert.All(before.Units.Values.Where(u => u.Phase == UnitPhase.Done), u => Assert.Equal(UnitPhase.Done, state.Units[u.UnitId].Phase));
            }

            var sweep = state.Sweeps["s"];
            Assert.True(sweep.Done == state.Units.Values.Count(u => u.Phase == UnitPhase.Done), $"done count (seed {seed}, step {step})");
            Assert.True(sweep.Failed == state.Units.Values.Count(u => u.Phase == UnitPhase.Failed), $"failed count (seed {seed}, step {step})");
            Assert.All(state.Units.Values.Where(u => u.Phase == UnitPhase.HandedOut), u => Assert.NotNull(u.Owner));
            Assert.Equal(state.Units.Values.Count(u => u.Phase == UnitPhase.Open), state.OpenCount);
        }

        // Replaying the journal gives the same state as applying live.
        var replayed = events.Aggregate(initial, (current, e) => current.Apply(e));
        Assert.Equal(state.Units.Values.OrderBy(u => u.UnitId), replayed.Units.Values.OrderBy(u => u.UnitId));
        Assert.Equal(state.Sweeps["s"], replayed.Sweeps["s"]);
        Assert.True(events.Count > 100, $"too few events to mean anything (seed {seed})");
    }
}
