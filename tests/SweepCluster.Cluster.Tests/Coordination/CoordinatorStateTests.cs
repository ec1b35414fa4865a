using System.Diagnostics.CodeAnalysis;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Tests.Support;
using static SweepCluster.Cluster.Tests.Support.CoordinatorStateText;

namespace SweepCluster.Cluster.Tests.Coordination;

public class CoordinatorStateTests
{
    /// <summary>Three attempts; waits of 1 s, 2 s, 4 s, ... up to a minute.</summary>
    private static readonly RetryPolicy Policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    // ---- hand-out --------------------------------------------------------------------------------------

    [Fact]
    public void HandOutGivesTheMostExpensiveDueUnitsFirst()
    {
        var state = Accepted("s", ("a", 1), ("b", 5), ("c", 3), ("d", 5), ("B", 5), ("e", 0.5));

        var e = state.HandOut("w", 1, 10, 0);

        Assert.NotNull(e);
        // Cost descending; equal costs by ordinal id ("B" < "b" < "d").
        Assert.Equal(["B#1", "b#1", "d#1", "c#1", "a#1", "e#1"], Names(e.Units));
        Assert.Equal("w", e.NodeId);
        Assert.Equal(1, e.RequestId);
        Assert.Equal(0, e.At);
    }

    [Fact]
    public void HandOutGivesNoMoreThanTheRequestedCount()
    {
        var state = Accepted("s", ("a", 1), ("b", 2), ("c", 3), ("d", 4));

        var first = state.HandOut("w1", 1, 2, 0);
        Assert.NotNull(first);
        Assert.Equal(["d#1", "c#1"], Names(first.Units));
        state = state.Apply(first);
        Assert.Equal(2, state.OpenCount);

        var second = state.HandOut("w2", 1, 5, 0);
        Assert.NotNull(second);
        Assert.Equal(["b#1", "a#1"], Names(second.Units));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void HandOutOfNoUnitsIsNull(int count)
    {
        var state = Accepted("s", ("a", 1));

        Assert.Null(state.HandOut("w", 1, count, 0));
    }

    [Fact]
    public void HandOutIsNullWhenNothingIsOpen()
    {
        Assert.Null(CoordinatorState.Empty.HandOut("w", 1, 4, 0));

        var state = Accepted("s", ("a", 1), ("b", 1));
        state = Give(state, "w", 1, 2, 0).State;

        Assert.Null(state.HandOut("w", 2, 4, 0));
        Assert.False(state.HasDueUnits(double.MaxValue));
        Assert.Throws<ArgumentException>(() => state.HandOut("", 3, 1, 0));
    }

    [Fact]
    public void HandOutSkipsUnitsNotYetDueForTheirRetry()
    {
        var state = Accepted("s", ("x", 9), ("y", 1));
        state = Give(state, "w", 1, 1, 0).State;
        state = state.Apply(state.Crash("w", new UnitTicket("x", 1), "boom", 10, Policy)!);
        Assert.Equal(11, state.Units["x"].RetryAt);

        var early = state.HandOut("w", 2, 5, 10.5);
        Assert.NotNull(early);
        Assert.Equal(["y#1"], Names(early.Units));

        // Due at its retry time exactly, and then first again (the most expensive).
        var onTime = state.HandOut("w", 2, 5, 11);
        Assert.NotNull(onTime);
        Assert.Equal(["x#2", "y#1"], Names(onTime.Units));

        state = state.Apply(early);
        Assert.Equal(1, state.OpenCount);
        Assert.False(state.HasDueUnits(10.999));
        Assert.Null(state.HandOut("w", 3, 5, 10.999));
        Assert.True(state.HasDueUnits(11));
    }

    [Fact]
    public void AHandOutIsRecordedWithItsHolderAttemptTimeAndRequest()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));

        (state, var e) = Give(state, "w", 7, 1, 42);

        var a = state.Units["a"];
        Assert.Equal(UnitPhase.HandedOut, a.Phase);
        Assert.Equal("w", a.Owner);
        Assert.Equal(1, a.Attempt);
        Assert.Equal(0, a.AttemptBase);
        Assert.Equal(1, a.AttemptsUsed);
        Assert.Equal(42, a.HandedOutAt);
        Assert.Equal(new UnitTicket("a", 1), a.Ticket);
        Assert.Equal(UnitPhase.Open, state.Units["b"].Phase);
        Assert.Equal(1, state.OpenCount);
        Assert.Equal(["a#1"], Names(state.HeldBy("w").Select(u => u.Ticket)));
        Assert.Empty(state.HeldBy("other"));

        var last = state.LastRequests["w"];
        Assert.Equal(7, last.RequestId);
        Assert.Equal(e.Units, last.Units);
        Assert.Equal(new SweepView("s", 2, 1, 1, 0, 0, false), state.View("s"));
    }

    [Fact]
    public void AHandOutOfAUnitThatIsNoLongerOpenChangesNothingForThatUnit()
    {
        var state = Accepted("s", ("a", 1));
        var toW1 = state.HandOut("w1", 1, 1, 0)!;
        var toW2 = state.HandOut("w2", 1, 1, 5)!;

        state = state.Apply(toW1).Apply(toW2);

        var a = state.Units["a"];
        Assert.Equal("w1", a.Owner);
        Assert.Equal(1, a.Attempt);
        Assert.Equal(0, a.HandedOutAt);
        Assert.Equal(["a#1"], Names(state.RepeatedRequest("w1", 1)));
        Assert.Empty(state.RepeatedRequest("w2", 1)!);
    }

    [Fact]
    public void AttemptNumbersGrowByOneAtEveryHandOutAndNeverRepeat()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var journal = new CoordinatorJournal();
        journal.PersistAll(journal.State.Reconcile("s", [Pending("u", 1)]));
        var attempts = new List<int>();
        long request = 0;
        double now = 0;

        void HandOutU()
        {
            var e = journal.Persist(journal.State.HandOut("w", ++request, 1, now))!;
            attempts.Add(Assert.Single(e.Units).Attempt);
        }

        UnitTicket Held() => journal.State.Units["u"].Ticket;

        HandOutU();                                                                  // #1
        journal.Persist(journal.State.Return("w", [Held()], "draining", now));       // not counted
        HandOutU();                                                                  // #2, used 1
        journal.Persist(journal.State.Crash("w", Held(), "boom", now, policy));      // retry in 1 s
        now += 1;
        HandOutU();                                                                  // #3, used 2
        var failed = journal.Persist(journal.State.Crash("w", Held(), "boom", now, policy))!;
        Assert.True(failed.FailedForGood);
        journal.PersistAll(journal.State.Reconcile("s", [Pending("u", 1)]));        // --retry-failed
        HandOutU();                                                                  // #4
        journal.Persist(journal.State.ReleaseWorker("w", "left", now, policy));      // counted, retry in 1 s
        now += 1;
        HandOutU();                                                                  // #5
        var released = journal.Persist(journal.State.Release([Held()], "silent", now, policy))!;
        Assert.Equal(["u#5"], Names(released.FailedForGood));                       // used 2 again
        journal.PersistAll(journal.State.Reconcile("s", [Pending("u", 1)]));
        HandOutU();                                                                  // #6

        Assert.Equal([1, 2, 3, 4, 5, 6], attempts);
        Assert.Equal(6, journal.State.Units["u"].Attempt);
    }

    // ---- repeated requests -----------------------------------------------------------------------------

    [Fact]
    public void ARepeatedRequestGetsTheUnitsItWasGivenThatTheWorkerStillHolds()
    {
        var state = Accepted("s", ("a", 3), ("b", 2), ("c", 1), ("d", 0.5));
        (state, var e) = Give(state, "w", 4, 3, 0);
        Assert.Equal(["a#1", "b#1", "c#1"], Names(e.Units));

        Assert.Equal(["a#1", "b#1", "c#1"], Names(state.RepeatedRequest("w", 4)));

        state = state.Apply(state.Complete("w", [new UnitTicket("a", 1)])!);
        state = state.Apply(state.Crash("w", new UnitTicket("c", 1), "boom", 1, Policy)!);

        Assert.Equal(["b#1"], Names(state.RepeatedRequest("w", 4)));
    }

    [Fact]
    public void ARequestOlderThanTheWorkersLastGetsNothing()
    {
        var state = Accepted("s", ("a", 3), ("b", 2));
        state = Give(state, "w", 4, 1, 0).State;
        state = Give(state, "w", 5, 1, 0).State;

        var older = state.RepeatedRequest("w", 4);

        Assert.NotNull(older);
        Assert.Empty(older);
        Assert.Empty(state.RepeatedRequest("w", long.MinValue)!);
        Assert.Equal(["b#1"], Names(state.RepeatedRequest("w", 5)));
    }

    [Fact]
    public void ANewRequestIsNotARepeat()
    {
        var state = Accepted("s", ("a", 3), ("b", 2));
        state = Give(state, "w", 4, 1, 0).State;

        Assert.Null(state.RepeatedRequest("w", 5));
        Assert.Null(state.RepeatedRequest("other", 1));
        Assert.Null(state.RepeatedRequest("other", 0));
        Assert.Null(CoordinatorState.Empty.RepeatedRequest("w", 1));
    }

    [Fact]
    public void ARepeatedRequestLeavesOutUnitsNowHeldUnderAnotherAttempt()
    {
        var state = Accepted("s", ("a", 3), ("b", 2));
        state = Give(state, "w", 1, 2, 0).State;
        state = state.Apply(state.Release([new UnitTicket("a", 1)], "silent", 0, Policy)!);
        state = Give(state, "w", 2, 1, 5).State;          // a#2, to the same worker, for a newer request
        Assert.Equal(["a#2"], Names(state.RepeatedRequest("w", 2)));

        var other = Accepted("s", ("a", 3), ("b", 2));
        other = Give(other, "w", 1, 2, 0).State;
        other = other.Apply(other.Return("w", [new UnitTicket("a", 1)], "draining", 0)!);
        other = Give(other, "v", 1, 1, 0).State;           // a#2, to another worker

        Assert.Equal(["b#1"], Names(other.RepeatedRequest("w", 1)));
    }

    // ---- completion ------------------------------------------------------------------------------------

    [Fact]
    public void CompletingAHeldUnitMarksItDoneAndCountsItInItsSweep()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));
        state = Give(state, "w", 1, 2, 0).State;

        var e = state.Complete("w", [new UnitTicket("a", 1)]);

        Assert.NotNull(e);
        Assert.Equal("w", e.NodeId);
        Assert.Equal(["a#1"], Names(e.Units));
        state = state.Apply(e);
        Assert.Equal(UnitPhase.Done, state.Units["a"].Phase);
        Assert.Equal("w", state.Units["a"].Owner);
        Assert.Equal(new SweepEntry("s", 2, 1, 0, false), state.Sweeps["s"]);
        Assert.Equal(["b#1"], Names(state.HeldBy("w").Select(u => u.Ticket)));
        Assert.Equal(new SweepView("s", 2, 0, 1, 1, 0, false), state.View("s"));
    }

    [Fact]
    public void ALateCompletionFromAnOlderAttemptOnAnotherNodeStillCompletesTheUnit()
    {
        var state = Accepted("s", ("a", 1));
        state = Give(state, "old", 1, 1, 0).State;
        state = state.Apply(state.ReleaseWorker("old", "unreachable", 0, Policy)!);
        state = Give(state, "new", 1, 1, 1).State;
        Assert.Equal(new UnitTicket("a", 2), state.Units["a"].Ticket);

        var late = state.Complete("old", [new UnitTicket("a", 1)]);

        Assert.NotNull(late);
        Assert.Equal(["a#1"], Names(late.Units));
        state = state.Apply(late);
        Assert.Equal(UnitPhase.Done, state.Units["a"].Phase);
        Assert.Equal("old", state.Units["a"].Owner);
        Assert.Equal(1, state.Sweeps["s"].Done);
        Assert.Empty(state.HeldBy("new"));
        // The current holder's reports find the unit done.
        Assert.Null(state.Complete("new", [new UnitTicket("a", 2)]));
        Assert.Null(state.Crash("new", new UnitTicket("a", 2), "boom", 2, Policy));
        Assert.Null(state.Return("new", [new UnitTicket("a", 2)], "draining", 2));
        Assert.Null(state.Release([new UnitTicket("a", 2)], "silent", 2, Policy));
        Assert.Null(state.ReleaseWorker("new", "left", 2, Policy));
        Assert.Empty(state.RepeatedRequest("new", 1)!);
    }

    [Fact]
    public void ACompletionOfAnOpenUnitTakesItOutOfTheQueue()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));

        state = state.Apply(state.Complete("w", [new UnitTicket("a", 0)])!);

        Assert.Equal(UnitPhase.Done, state.Units["a"].Phase);
        Assert.Equal(1, state.OpenCount);
        Assert.Equal(["b#1"], Names(OpenQueue(state)));
    }

    [Fact]
    public void ACompletionOfAUnitFailedForGoodMovesItFromFailedToDone()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var state = Accepted("s", ("a", 2));
        state = Give(state, "w", 1, 1, 0).State;
        state = state.Apply(state.Crash("w", new UnitTicket("a", 1), "boom", 0, policy)!);
        Assert.Equal(new SweepEntry("s", 1, 0, 1, false), state.Sweeps["s"]);

        state = state.Apply(state.Complete("v", [new UnitTicket("a", 1)])!);

        Assert.Equal(UnitPhase.Done, state.Units["a"].Phase);
        Assert.Equal(new SweepEntry("s", 1, 1, 0, false), state.Sweeps["s"]);
    }

    [Fact]
    public void DuplicateAndUnknownCompletionsAreIgnored()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));
        state = Give(state, "w", 1, 2, 0).State;

        var e = state.Complete("w", [new UnitTicket("a", 1), new UnitTicket("a", 1), new UnitTicket("zz", 1), new UnitTicket("a", 0)]);

        Assert.NotNull(e);
        Assert.Equal(["a#1"], Names(e.Units));
        state = state.Apply(e);
        Assert.Null(state.Complete("w", [new UnitTicket("a", 1)]));
        Assert.Null(state.Complete("v", [new UnitTicket("a", 7), new UnitTicket("zz", 1)]));
        Assert.Null(state.Complete("w", []));

        // A completion persisted twice (a repeated report decided before the first was applied) counts once.
        var again = state.Apply(e);
        Assert.Equal(Describe(state), Describe(again));
        Assert.Equal(1, again.Sweeps["s"].Done);
    }

    // ---- crash -----------------------------------------------------------------------------------------

    [Fact]
    public void ACrashReportOfAStaleTicketIsIgnored()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));
        state = Give(state, "w", 1, 1, 0).State;                                 // a#1 to w
        state = state.Apply(state.Release([new UnitTicket("a", 1)], "silent", 0, Policy)!);
        state = Give(state, "v", 1, 1, 5).State;                                 // a#2 to v

        Assert.Null(state.Crash("w", new UnitTicket("a", 1), "boom", 6, Policy));  // old attempt
        Assert.Null(state.Crash("w", new UnitTicket("a", 2), "boom", 6, Policy));  // another node's
        Assert.Null(state.Crash("v", new UnitTicket("a", 3), "boom", 6, Policy));  // not yet handed out
        Assert.Null(state.Crash("v", new UnitTicket("b", 0), "boom", 6, Policy));  // open
        Assert.Null(state.Crash("v", new UnitTicket("zz", 1), "boom", 6, Policy)); // unknown
        Assert.NotNull(state.Crash("v", new UnitTicket("a", 2), "boom", 6, Policy));

        // A stale crash event, applied anyway, changes nothing.
        var stale = new UnitAttemptFailed("w", new UnitTicket("a", 1), "boom", 7, FailedForGood: true);
        Assert.Equal(Describe(state), Describe(state.Apply(stale)));
    }

    [Fact]
    public void ACrashedUnitWaitsForItsBackoffBeforeItIsHandedOutAgain()
    {
        var policy = new RetryPolicy(4, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25));
        var state = Accepted("s", ("a", 1));
        var retryAts = new List<double>();

        foreach (double now in new double[] { 100, 200, 300 })
        {
            (state, var handed) = Give(state, "w", (long)now, 1, now);
            var ticket = Assert.Single(handed.Units);
            var e = state.Crash("w", ticket, $"boom {now}", now, policy);

            Assert.NotNull(e);
            Assert.False(e.FailedForGood);
            Assert.Equal(now + policy.Delay(state.Units["a"].AttemptsUsed).TotalSeconds, e.RetryAt);
            state = state.Apply(e);
            var a = state.Units["a"];
            Assert.Equal(UnitPhase.Open, a.Phase);
            Assert.Null(a.Owner);
            Assert.Equal($"boom {now}", a.LastError);
            Assert.Equal(e.RetryAt, a.RetryAt);
            Assert.Equal(1, state.OpenCount);
            retryAts.Add(a.RetryAt);
        }

        Assert.Equal([110, 220, 325], retryAts);
    }

    [Fact]
    public void ACrashAtTheAttemptLimitFailsTheUnitForGood()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));
        state = Give(state, "w", 1, 2, 0).State;
        state = state.Apply(state.Complete("w", [new UnitTicket("b", 1)])!);
        double now = 0;
        for (int attempt = 1; attempt < Policy.MaxAttempts; attempt++)
        {
            var e = state.Crash("w", new UnitTicket("a", attempt), "boom", now, Policy)!;
            Assert.False(e.FailedForGood);
            state = state.Apply(e);
            now = e.RetryAt;
            state = Give(state, "w", 1 + attempt, 1, now).State;
        }

        Assert.Equal(Policy.MaxAttempts, state.Units["a"].AttemptsUsed);
        var last = state.Crash("w", new UnitTicket("a", Policy.MaxAttempts), "final", now, Policy);

        Assert.NotNull(last);
        Assert.True(last.FailedForGood);
        state = state.Apply(last);
        var a = state.Units["a"];
        Assert.Equal(UnitPhase.Failed, a.Phase);
        Assert.Null(a.Owner);
        Assert.Equal("final", a.LastError);
        Assert.Equal(0, state.OpenCount);
        Assert.Null(state.HandOut("w", 99, 5, double.MaxValue));
        Assert.Equal(new SweepEntry("s", 2, 1, 1, false), state.Sweeps["s"]);
        Assert.Equal(new SweepView("s", 2, 0, 0, 1, 1, false), state.View("s"));
        Assert.Equal([new SweepFinished("s", now)], state.Finish(now));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void TheBackoffDoublesFromItsFirstWaitUpToTheCap(int attempt, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.Delay(attempt));
    }

    // ---- return (drain) --------------------------------------------------------------------------------

    [Fact]
    public void AReturnedUnitIsOpenAtOnceWithoutUsingUpAnAttempt()
    {
        var state = Accepted("s", ("a", 1));
        state = Give(state, "w", 1, 1, 0).State;
        state = state.Apply(state.Crash("w", new UnitTicket("a", 1), "boom", 0, Policy)!);
        state = Give(state, "w", 2, 1, 5).State;
        Assert.Equal(2, state.Units["a"].AttemptsUsed);

        var e = state.Return("w", [new UnitTicket("a", 2)], "draining", 6);

        Assert.NotNull(e);
        Assert.Equal(["a#2"], Names(e.Reopened));
        Assert.Empty(e.FailedForGood);
        Assert.False(e.CountsAsAttempt);
        Assert.Equal(6, e.RetryAt);
        state = state.Apply(e);
        var a = state.Units["a"];
        Assert.Equal(UnitPhase.Open, a.Phase);
        Assert.Null(a.Owner);
        Assert.Equal(2, a.Attempt);
        Assert.Equal(1, a.AttemptBase);
        Assert.Equal(1, a.AttemptsUsed);
        Assert.Equal(6, a.RetryAt);
        Assert.Equal("boom", a.LastError);
        Assert.True(state.HasDueUnits(6));
        Assert.Equal(["a#3"], Names(state.HandOut("v", 1, 1, 6)!.Units));
    }

    [Fact]
    public void ReturnsNeverUseUpTheAttemptBudget()
    {
        var state = Accepted("s", ("a", 1));
        for (int i = 1; i <= 10; i++)
        {
            (state, var e) = Give(state, "w", i, 1, i);
            state = state.Apply(state.Return("w", e.Units, "draining", i)!);
        }

        (state, var last) = Give(state, "w", 11, 1, 11);
        Assert.Equal(["a#11"], Names(last.Units));
        Assert.Equal(1, state.Units["a"].AttemptsUsed);
        Assert.False(state.Crash("w", new UnitTicket("a", 11), "boom", 11, Policy)!.FailedForGood);
    }

    [Fact]
    public void AReturnCoversOnlyUnitsTheNodeHoldsUnderTheirCurrentAttempt()
    {
        var state = Accepted("s", ("a", 3), ("b", 2), ("c", 1));
        state = Give(state, "w", 1, 1, 0).State;   // a#1
        state = Give(state, "v", 1, 1, 0).State;   // b#1

        var e = state.Return(
            "w",
            [new UnitTicket("a", 1), new UnitTicket("b", 1), new UnitTicket("a", 0), new UnitTicket("a", 1), new UnitTicket("c", 0), new UnitTicket("zz", 1)],
            "draining",
            1);

        Assert.NotNull(e);
        Assert.Equal(["a#1"], Names(e.Reopened));
        Assert.Null(state.Return("w", [new UnitTicket("b", 1)], "draining", 1));
        Assert.Null(state.Return("w", [], "draining", 1));
        state = state.Apply(e);
        Assert.Null(state.Return("w", [new UnitTicket("a", 1)], "draining", 1));
        Assert.Equal(UnitPhase.HandedOut, state.Units["b"].Phase);
        Assert.Equal("v", state.Units["b"].Owner);
    }

    // ---- release ---------------------------------------------------------------------------------------

    [Fact]
    public void ReleaseWorkerTakesBackExactlyThatWorkersUnitsAndCountsTheAttempt()
    {
        var state = Accepted("s", ("a", 4), ("b", 3), ("c", 2), ("d", 1));
        state = Give(state, "w", 1, 2, 0).State;   // a, b
        state = Give(state, "v", 1, 1, 0).State;   // c

        var e = state.ReleaseWorker("w", "left the cluster", 10, Policy);

        Assert.NotNull(e);
        Assert.Equal(["a#1", "b#1"], Names(e.Reopened).Order(StringComparer.Ordinal));
        Assert.Empty(e.FailedForGood);
        Assert.True(e.CountsAsAttempt);
        Assert.Equal(10 + Policy.Delay(1).TotalSeconds, e.RetryAt);
        state = state.Apply(e);
        foreach (string id in new[] { "a", "b" })
        {
            var u = state.Units[id];
            Assert.Equal(UnitPhase.Open, u.Phase);
            Assert.Null(u.Owner);
            Assert.Equal(1, u.AttemptsUsed);
            Assert.Equal(11, u.RetryAt);
            Assert.Equal("left the cluster", u.LastError);
        }

        Assert.Equal("v", state.Units["c"].Owner);
        Assert.Empty(state.HeldBy("w"));
        Assert.Null(state.ReleaseWorker("w", "left the cluster", 10, Policy));
        Assert.Null(state.ReleaseWorker("nobody", "left the cluster", 10, Policy));
        Assert.Equal(["d#1"], Names(state.HandOut("x", 1, 9, 10.5)!.Units));
        Assert.Equal(["a#2", "b#2", "d#1"], Names(state.HandOut("x", 1, 9, 11)!.Units));
    }

    [Fact]
    public void ReleaseWorkerFailsUnitsAtTheAttemptLimitForGood()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        var state = Accepted("s", ("x", 2), ("y", 1));
        state = Give(state, "w", 1, 1, 0).State;                                            // x#1
        state = state.Apply(state.Crash("w", new UnitTicket("x", 1), "boom", 0, policy)!);  // x due at 5
        state = Give(state, "w", 2, 2, 5).State;                                            // x#2 (used 2), y#1

        var e = state.ReleaseWorker("w", "lost", 50, policy);

        Assert.NotNull(e);
        Assert.Equal(["y#1"], Names(e.Reopened));
        Assert.Equal(["x#2"], Names(e.FailedForGood));
        Assert.Equal(55, e.RetryAt);
        state = state.Apply(e);
        Assert.Equal(UnitPhase.Failed, state.Units["x"].Phase);
        Assert.Equal("lost", state.Units["x"].LastError);
        Assert.Null(state.Units["x"].Owner);
        Assert.Equal(UnitPhase.Open, state.Units["y"].Phase);
        Assert.Equal(55, state.Units["y"].RetryAt);
        Assert.Equal(new SweepEntry("s", 2, 0, 1, false), state.Sweeps["s"]);
        Assert.Equal(["y#2"], Names(OpenQueue(state)));
    }

    [Fact]
    public void ReleaseOfOnlyUnitsAtTheLimitFailsThemAll()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        var state = Accepted("s", ("x", 2), ("y", 1));
        state = Give(state, "w", 1, 2, 0).State;

        var e = state.Release([new UnitTicket("x", 1), new UnitTicket("y", 1)], "silent", 3, policy);

        Assert.NotNull(e);
        Assert.Empty(e.Reopened);
        Assert.Equal(["x#1", "y#1"], Names(e.FailedForGood));
        state = state.Apply(e);
        Assert.Equal(new SweepEntry("s", 2, 0, 2, false), state.Sweeps["s"]);
        Assert.Equal([new SweepFinished("s", 3)], state.Finish(3));
    }

    [Fact]
    public void ReleaseIgnoresStaleTickets()
    {
        var state = Accepted("s", ("x", 3), ("y", 2), ("z", 1));
        state = Give(state, "w", 1, 2, 0).State;                                            // x#1, y#1
        state = state.Apply(state.Complete("w", [new UnitTicket("y", 1)])!);
        state = state.Apply(state.Return("w", [new UnitTicket("x", 1)], "draining", 0)!);
        state = Give(state, "v", 1, 1, 0).State;                                            // x#2

        Assert.Null(state.Release([new UnitTicket("x", 1), new UnitTicket("y", 1), new UnitTicket("z", 0), new UnitTicket("q", 1)], "silent", 1, Policy));
        Assert.Null(state.Release([], "silent", 1, Policy));

        var e = state.Release([new UnitTicket("x", 1), new UnitTicket("x", 2), new UnitTicket("x", 2), new UnitTicket("y", 1)], "silent", 1, Policy);

        Assert.NotNull(e);
        Assert.Equal(["x#2"], Names(e.Reopened));
        Assert.Empty(e.FailedForGood);

        // Stale tickets in an applied release change nothing.
        var stale = new UnitsReleased([new UnitTicket("x", 1), new UnitTicket("z", 0)], [new UnitTicket("y", 1)], "silent", CountsAsAttempt: true, RetryAt: 9);
        Assert.Equal(Describe(state), Describe(state.Apply(stale)));
    }

    [Fact]
    public void UnitsReleasedTogetherShareTheSoonestOfTheirBackoffs()
    {
        // The event carries one retry time: units with different attempts used wait the shortest backoff.
        var state = Accepted("s", ("x", 2), ("y", 1));
        state = Give(state, "w", 1, 1, 0).State;                                            // x#1
        state = state.Apply(state.Crash("w", new UnitTicket("x", 1), "boom", 0, Policy)!);  // x due at 1
        state = Give(state, "w", 2, 2, 1).State;                                            // x#2 (used 2), y#1 (used 1)

        var e = state.ReleaseWorker("w", "lost", 100, Policy)!;

        Assert.Equal(100 + Policy.Delay(1).TotalSeconds, e.RetryAt);
        Assert.Equal(2, e.Reopened.Count);
    }

    // ---- reconcile -------------------------------------------------------------------------------------

    [Fact]
    public void ReconcileAcceptsANewSweepWithItsUnitsInTheStoresPhases()
    {
        AcceptedUnit[] store = [Pending("a", 2), new("b", 3, Done: true, Failed: false), new("c", 4, Done: false, Failed: true), Pending("d", 1)];

        var events = CoordinatorState.Empty.Reconcile("s", store);

        var accepted = Assert.IsType<SweepAccepted>(Assert.Single(events));
        Assert.Equal("s", accepted.SweepId);
        Assert.Equal(store, accepted.Units);
        var state = Apply(CoordinatorState.Empty, events);
        Assert.Equal(new SweepEntry("s", 4, 1, 1, false), state.Sweeps["s"]);
        Assert.Equal(UnitPhase.Open, state.Units["a"].Phase);
        Assert.Equal(UnitPhase.Done, state.Units["b"].Phase);
        Assert.Equal(UnitPhase.Failed, state.Units["c"].Phase);
        Assert.Equal(new UnitEntry("d", "s", 1, UnitPhase.Open, 0, 0, null, 0, 0, null), state.Units["d"]);
        Assert.Equal(2, state.OpenCount);
        Assert.Equal(["a#1", "d#1"], Names(OpenQueue(state)));
        Assert.Empty(state.Reconcile("s", store));
        Assert.Throws<ArgumentException>(() => state.Reconcile("", store));
        Assert.Throws<ArgumentNullException>(() => state.Reconcile("s", null!));
    }

    [Fact]
    public void ReconcileAcceptsASweepWithoutUnits()
    {
        var events = CoordinatorState.Empty.Reconcile("s", []);

        var accepted = Assert.IsType<SweepAccepted>(Assert.Single(events));
        Assert.Empty(accepted.Units);
        var state = Apply(CoordinatorState.Empty, events);
        Assert.Equal(new SweepEntry("s", 0, 0, 0, false), state.Sweeps["s"]);
        Assert.Empty(state.Reconcile("s", []));
        Assert.Null(state.HandOut("w", 1, 1, 0));

        // Every cell was computed before (another sweep shared them): nothing to do, so it is finished at once.
        Assert.Equal([new SweepFinished("s", 0)], state.Finish(0));
        state = Apply(state, state.Finish(0));
        Assert.Equal(new SweepView("s", 0, 0, 0, 0, 0, true), state.View("s"));

        // Its units arrive later (a grid that grew).
        events = state.Reconcile("s", [Pending("a", 1)]);
        state = Apply(state, events);
        Assert.Equal(new SweepEntry("s", 1, 0, 0, false), state.Sweeps["s"]);
        Assert.Equal(1, state.OpenCount);
    }

    [Fact]
    public void ReconcileCompletesUnitsTheStoreHasResultsFor()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var state = Accepted("s", ("a", 3), ("b", 2), ("c", 1), ("d", 0.5));
        state = Give(state, "w", 1, 1, 0).State;                                            // a#1
        state = Give(state, "v", 1, 1, 0).State;                                            // b#1
        state = state.Apply(state.Crash("v", new UnitTicket("b", 1), "boom", 0, policy)!);  // b failed for good

        var events = state.Reconcile("s", [Done("a", 3), Done("b", 2), Done("c", 1), Pending("d", 0.5)]);

        var completed = Assert.IsType<UnitsCompleted>(Assert.Single(events));
        Assert.Equal(CoordinatorState.StoreNode, completed.NodeId);
        Assert.Equal(["a#1", "b#1", "c#0"], Names(completed.Units));
        state = Apply(state, events);
        foreach (string id in new[] { "a", "b", "c" })
        {
            Assert.Equal(UnitPhase.Done, state.Units[id].Phase);
            Assert.Equal(CoordinatorState.StoreNode, state.Units[id].Owner);
        }

        Assert.Equal(new SweepEntry("s", 4, 3, 0, false), state.Sweeps["s"]);
        Assert.Empty(state.HeldBy("w"));
        Assert.Equal(["d#1"], Names(OpenQueue(state)));
        Assert.Null(state.Complete("w", [new UnitTicket("a", 1)]));
        Assert.Empty(state.Reconcile("s", [Done("a", 3), Done("b", 2), Done("c", 1), Pending("d", 0.5)]));
    }

    [Fact]
    public void ReconcileRequeuesFailedUnitsTheStoreHasPendingAgainWithAFreshBudget()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var state = Accepted("s", ("x", 1));
        state = FailForGood(state, "x", "w", policy, 0);
        state = Apply(state, state.Finish(10));
        Assert.True(state.Sweeps["s"].Finished);
        Assert.Equal(2, state.Units["x"].Attempt);

        // The store still has it failed: nothing to do.
        Assert.Empty(state.Reconcile("s", [new AcceptedUnit("x", 1, Done: false, Failed: true)]));

        var events = state.Reconcile("s", [Pending("x", 1)]);

        var requeued = Assert.IsType<FailedUnitsRequeued>(Assert.Single(events));
        Assert.Equal("s", requeued.SweepId);
        Assert.Equal(["x"], requeued.UnitIds);
        state = Apply(state, events);
        var x = state.Units["x"];
        Assert.Equal(UnitPhase.Open, x.Phase);
        Assert.Equal(2, x.Attempt);
        Assert.Equal(0, x.AttemptsUsed);
        Assert.Equal(0, x.RetryAt);
        Assert.Equal(new SweepEntry("s", 1, 0, 0, false), state.Sweeps["s"]);
        Assert.Empty(state.Finish(20));
        Assert.Empty(state.Reconcile("s", [Pending("x", 1)]));

        // The attempt counter goes on, and the unit has the whole budget again.
        (state, var e) = Give(state, "w", 10, 1, 20);
        Assert.Equal(["x#3"], Names(e.Units));
        var crash = state.Crash("w", new UnitTicket("x", 3), "boom", 20, policy)!;
        Assert.False(crash.FailedForGood);
        Assert.Equal(20 + policy.Delay(1).TotalSeconds, crash.RetryAt);
        state = state.Apply(crash);
        (state, e) = Give(state, "w", 11, 1, 30);
        Assert.Equal(["x#4"], Names(e.Units));
        Assert.True(state.Crash("w", new UnitTicket("x", 4), "boom", 30, policy)!.FailedForGood);
    }

    [Fact]
    public void ReconcileLeavesUnitsTheStateStillRunsAsTheyAre()
    {
        var state = Accepted("s", ("a", 2), ("b", 1));
        state = Give(state, "w", 1, 1, 0).State;

        Assert.Empty(state.Reconcile("s", [Pending("a", 2), Pending("b", 1)]));
        Assert.Empty(state.Reconcile("s", []));
        Assert.Empty(state.Reconcile("s", [Pending("b", 1)]));
    }

    [Fact]
    public void ReconcileIsIdempotent()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var state = Accepted("s", ("a", 5), ("b", 4), ("c", 3), ("d", 2));
        state = Give(state, "w", 1, 2, 0).State;                                            // a#1, b#1
        state = state.Apply(state.Crash("w", new UnitTicket("b", 1), "boom", 0, policy)!);  // b failed
        state = Give(state, "w", 2, 1, 0).State;                                            // c#1
        state = state.Apply(state.Crash("w", new UnitTicket("c", 1), "boom", 0, policy)!);  // c failed
        AcceptedUnit[] store =
        [
            Done("a", 5),                                        // completed in the store
            Pending("b", 4),                                     // re-queued there (--retry-failed)
            new("c", 3, Done: false, Failed: true),              // still failed
            Done("d", 2),                                        // done while open here
            Pending("e", 1),                                     // the grid grew
            Done("f", 1),                                        // ... by a unit already done
        ];

        var events = state.Reconcile("s", store);

        Assert.Equal(
            [
                "SweepAccepted(s, [AcceptedUnit { UnitId = e, Cost = 1, Done = False, Failed = False }, AcceptedUnit { UnitId = f, Cost = 1, Done = True, Failed = False }])",
                "UnitsCompleted(store, [a#1, d#0])",
                "FailedUnitsRequeued(s, [b])",
            ],
            events.Select(Describe));
        state = Apply(state, events);
        Assert.Empty(state.Reconcile("s", store));
        Assert.Equal(new SweepEntry("s", 6, 3, 1, false), state.Sweeps["s"]);
        Assert.Equal(["b#2", "e#1"], Names(OpenQueue(state)));
    }

    [Fact]
    public void NewUnitsForAFinishedSweepUnfinishIt()
    {
        var state = Accepted("s", ("a", 1));
        (state, var e) = Give(state, "w", 1, 1, 0);
        state = state.Apply(state.Complete("w", e.Units)!);
        state = Apply(state, state.Finish(1));
        Assert.True(state.Sweeps["s"].Finished);

        var events = state.Reconcile("s", [Done("a", 1), Pending("b", 2)]);

        Assert.Equal(["b"], Assert.IsType<SweepAccepted>(Assert.Single(events)).Units.Select(u => u.UnitId));
        state = Apply(state, events);
        Assert.Equal(new SweepEntry("s", 2, 1, 0, false), state.Sweeps["s"]);
        Assert.Empty(state.Finish(2));

        (state, e) = Give(state, "w", 2, 1, 3);
        state = state.Apply(state.Complete("w", e.Units)!);
        Assert.Equal([new SweepFinished("s", 4)], state.Finish(4));
    }

    [Fact]
    public void NewUnitsAlreadySettledInTheStoreLeaveAFinishedSweepFinished()
    {
        var state = Accepted("s", ("a", 1));
        state = state.Apply(state.Complete("w", [new UnitTicket("a", 0)])!);
        state = Apply(state, state.Finish(1));

        state = Apply(state, state.Reconcile("s", [Done("a", 1), Done("b", 1), new AcceptedUnit("c", 1, Done: false, Failed: true)]));

        Assert.Equal(new SweepEntry("s", 3, 2, 1, true), state.Sweeps["s"]);
        Assert.Empty(state.Finish(2));
    }

    // ---- finish ----------------------------------------------------------------------------------------

    [Fact]
    public void FinishMarksEachSettledSweepOnce()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var state = CoordinatorState.Empty;
        state = Apply(state, state.Reconcile("b", [Done("b1", 1), Done("b2", 1)]));  // all done
        state = Apply(state, state.Reconcile("a", [Pending("a1", 1)]));
        state = FailForGood(state, "a1", "w", policy, 0);                             // all failed
        state = Apply(state, state.Reconcile("c", [Done("c1", 1), Pending("c2", 1)])); // one open
        state = Apply(state, state.Reconcile("d", []));                               // no units: nothing to do
        state = Apply(state, state.Reconcile("e", [Done("e1", 1), Pending("e2", 1)]));
        state = Give(state, "w", 1, 5, 0).State;                                      // c2, e2 held

        var finished = state.Finish(7);

        Assert.Equal([new SweepFinished("a", 7), new SweepFinished("b", 7), new SweepFinished("d", 7)], finished);
        state = Apply(state, finished);
        Assert.True(state.Sweeps["a"].Finished);
        Assert.True(state.Sweeps["b"].Finished);
        Assert.True(state.Sweeps["d"].Finished);
        Assert.False(state.Sweeps["c"].Finished);
        Assert.Empty(state.Finish(8));
        Assert.Equal(new SweepView("a", 1, 0, 0, 0, 1, true), state.View("a"));

        // An unknown sweep: nothing to mark.
        Assert.Equal(Describe(state), Describe(state.Apply(new SweepFinished("zz", 9))));
        Assert.Equal(new SweepView("zz", 0, 0, 0, 0, 0, false), state.View("zz"));
    }

    // ---- snapshots and recovery ------------------------------------------------------------------------

    [Fact]
    public void ASnapshotRoundTripPreservesEverything()
    {
        var original = RichJournal().State;

        var restored = CoordinatorState.FromSnapshot(original.ToSnapshot());

        Assert.Equal(Describe(original), Describe(restored));
        Assert.Equal(Describe(original), Describe(CoordinatorState.FromSnapshot(restored.ToSnapshot())));
        Assert.Equal(Decisions(original), Decisions(restored));

        // The same events keep them the same.
        foreach (var e in FollowUp(original))
        {
            original = original.Apply(e);
            restored = restored.Apply(e);
            Assert.Equal(Describe(original), Describe(restored));
            Assert.Equal(Decisions(original), Decisions(restored));
        }
    }

    [Fact]
    public void TheEmptyStateRoundTripsThroughASnapshot()
    {
        var snapshot = CoordinatorState.Empty.ToSnapshot();

        Assert.Empty(snapshot.Sweeps);
        Assert.Empty(snapshot.Units);
        Assert.Empty(snapshot.LastRequests);
        Assert.Equal(Describe(CoordinatorState.Empty), Describe(CoordinatorState.FromSnapshot(snapshot)));
        Assert.Throws<ArgumentNullException>(() => CoordinatorState.FromSnapshot(null!));
    }

    [Fact]
    public void RecoveryByReplayingTheJournalGivesTheStateBuiltLive()
    {
        var journal = RichJournal();

        var replayed = CoordinatorJournal.Replay(journal.Events);

        Assert.Equal(Describe(journal.State), Describe(replayed));
        Assert.Equal(Decisions(journal.State), Decisions(replayed));

        // From a snapshot taken half way and the events after it.
        int half = journal.Events.Count / 2;
        var snapshot = CoordinatorJournal.Replay(journal.Events.Take(half)).ToSnapshot();
        var fromSnapshot = CoordinatorJournal.Replay(journal.Events.Skip(half), CoordinatorState.FromSnapshot(snapshot));
        Assert.Equal(Describe(journal.State), Describe(fromSnapshot));
    }

    [Fact]
    public void ApplyRejectsAnUnknownEvent()
    {
        Assert.Throws<ArgumentException>(() => CoordinatorState.Empty.Apply(new UnknownEvent()));
        Assert.Throws<ArgumentException>(() => CoordinatorState.Empty.Apply(null!));
    }

    // ---- random operations -----------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20250101)]
    [InlineData(987654321)]
    public void RandomOperationsKeepTheStateConsistent(int seed)
    {
        new RandomRun(seed).Run(steps: 2000);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static AcceptedUnit Pending(string id, double cost) => new(id, cost, Done: false, Failed: false);

    private static AcceptedUnit Done(string id, double cost) => new(id, cost, Done: true, Failed: false);

    private static CoordinatorState Accepted(string sweepId, params (string Id, double Cost)[] units) =>
        Apply(CoordinatorState.Empty, CoordinatorState.Empty.Reconcile(sweepId, units.Select(u => Pending(u.Id, u.Cost)).ToArray()));

    private static CoordinatorState Apply(CoordinatorState state, IEnumerable<ICoordinatorEvent> events) =>
        events.Aggregate(state, (s, e) => s.Apply(e));

    /// <summary>A hand-out that must give something, applied.</summary>
    private static (CoordinatorState State, UnitsHandedOut Event) Give(CoordinatorState state, string nodeId, long requestId, int count, double now)
    {
        var e = state.HandOut(nodeId, requestId, count, now);
        Assert.NotNull(e);
        return (state.Apply(e), e);
    }

    /// <summary>Hands the (only due) unit out and crashes it until it fails for good.</summary>
    private static CoordinatorState FailForGood(CoordinatorState state, string unitId, string nodeId, RetryPolicy policy, double now)
    {
        for (long request = 1000; ; request++)
        {
            var e = state.HandOut(nodeId, request, 1, double.MaxValue);
            Assert.NotNull(e);
            Assert.Equal(unitId, Assert.Single(e.Units).UnitId);
            state = state.Apply(e);
            var crash = state.Crash(nodeId, e.Units[0], "boom", now, policy)!;
            state = state.Apply(crash);
            if (crash.FailedForGood)
            {
                return state;
            }
        }
    }

    private static string[] Names(IEnumerable<UnitTicket>? tickets)
    {
        Assert.NotNull(tickets);
        return tickets.Select(t => $"{t.UnitId}#{t.Attempt}").ToArray();
    }

    /// <summary>A state with units in every phase, several sweeps (one finished, one empty) and several workers.</summary>
    private static CoordinatorJournal RichJournal()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var j = new CoordinatorJournal();
        j.PersistAll(j.State.Reconcile("s1", [Pending("a", 5), Pending("b", 4), Pending("c", 3), Pending("d", 2), Pending("e", 1), Pending("E", 1)]));
        j.PersistAll(j.State.Reconcile("s2", [Done("f", 3), Pending("g", 2)]));
        j.PersistAll(j.State.Reconcile("s3", []));
        j.PersistAll(j.State.Reconcile("s4", [Pending("h", 7)]));
        j.Persist(j.State.HandOut("A", 1, 2, 0));                                  // h#1, a#1
        j.Persist(j.State.HandOut("B", 1, 2, 0));                                  // b#1, c#1
        j.Persist(j.State.Complete("A", [new UnitTicket("h", 1)]));
        j.PersistAll(j.State.Finish(0.5));                                         // s4 finished
        j.Persist(j.State.Crash("B", new UnitTicket("c", 1), "boom c", 1, policy)); // c due at 2
        j.Persist(j.State.Return("B", [new UnitTicket("b", 1)], "draining", 1));    // b open, base 1
        j.Persist(j.State.HandOut("C", 1, 1, 1.5));                                // b#2
        j.Persist(j.State.HandOut("A", 2, 1, 2));                                  // c#2 (used 2)
        j.Persist(j.State.Crash("A", new UnitTicket("c", 2), "boom c again", 2, policy)); // c failed
        j.Persist(j.State.HandOut("B", 2, 1, 3));                                  // d#1
        j.Persist(j.State.Crash("B", new UnitTicket("d", 1), "boom d", 3, policy)); // d due at 4
        j.Persist(j.State.HandOut("C", 2, 1, 3.5));                                // g#1 (d not due)
        j.Persist(j.State.Complete("C", [new UnitTicket("g", 1)]));                // s2 settled, not finished
        j.Persist(j.State.HandOut("D", 5, 1, 3.5));                                // E#1 ("E" before "e")
        return j;
    }

    /// <summary>Events to apply after <see cref="RichJournal"/>, decided along the way.</summary>
    private static List<ICoordinatorEvent> FollowUp(CoordinatorState state)
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var events = new List<ICoordinatorEvent>();
        void Add(ICoordinatorEvent? e)
        {
            Assert.NotNull(e);
            events.Add(e);
            state = state.Apply(e);
        }

        Add(state.HandOut("A", 3, 10, 10));
        Add(state.ReleaseWorker("C", "left", 11, policy));
        Add(state.Return("A", state.HeldBy("A").Select(u => u.Ticket).ToArray(), "draining", 12));
        foreach (var e in state.Reconcile("s1", [Pending("c", 3), Done("d", 2), Pending("x", 0.5)]))
        {
            Add(e);
        }

        Add(state.HandOut("B", 3, 100, 20));
        Add(state.Complete("B", state.HeldBy("B").Select(u => u.Ticket).ToArray()));
        Add(state.Complete("D", state.HeldBy("D").Select(u => u.Ticket).ToArray()));
        foreach (var e in state.Finish(200))
        {
            Add(e);
        }

        Assert.All(state.Sweeps.Values.Where(s => s.Units > 0), s => Assert.True(s.Finished));
        return events;
    }

    /// <summary>What a state would decide for a range of commands, as text (it must not depend on how the state was built).</summary>
    private static List<string> Decisions(CoordinatorState state)
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var decisions = new List<string>();
        string[] nodes = ["A", "B", "C", "D", "new"];
        var tickets = state.Units.Values
            .SelectMany(u => Enumerable.Range(0, u.Attempt + 2).Select(a => new UnitTicket(u.UnitId, a)))
            .OrderBy(t => t.UnitId, StringComparer.Ordinal).ThenBy(t => t.Attempt)
            .ToArray();
        foreach (double now in new[] { 0, 1.5, 3.9, 4, 100 })
        {
            decisions.Add($"due {now}: {state.HasDueUnits(now)}");
            foreach (int count in new[] { 1, 2, 100 })
            {
                decisions.Add(Describe(state.HandOut("new", 1, count, now)));
            }

            decisions.Add(string.Join(" | ", state.Finish(now).Select(Describe)));
        }

        foreach (string node in nodes)
        {
            decisions.Add($"held by {node}: {Tickets(state.HeldBy(node).Select(u => u.Ticket).OrderBy(t => t.UnitId, StringComparer.Ordinal))}");
            long last = state.LastRequests.TryGetValue(node, out var r) ? r.RequestId : 0;
            foreach (long id in new[] { last - 1, last, last + 1 })
            {
                decisions.Add($"repeat {node} {id}: {Tickets(state.RepeatedRequest(node, id))}");
            }

            decisions.Add(Describe(state.ReleaseWorker(node, "left", 50, policy)));
            decisions.Add(Describe(state.Return(node, tickets, "draining", 50)));
            decisions.Add(Describe(state.Complete(node, tickets)));
            foreach (var t in tickets)
            {
                decisions.Add(Describe(state.Crash(node, t, "boom", 50, policy)));
            }
        }

        decisions.Add(Describe(state.Release(tickets, "silent", 60, policy)));
        foreach (var sweep in state.Sweeps.Keys.Order(StringComparer.Ordinal))
        {
            decisions.Add(state.View(sweep).ToString());
            var store = state.Units.Values
                .Where(u => u.SweepId == sweep)
                .Select(u => new AcceptedUnit(u.UnitId, u.Cost, Done: u.Phase == UnitPhase.Done || u.UnitId == "d", Failed: false))
                .Append(Pending(sweep + "-new", 9))
                .OrderBy(u => u.UnitId, StringComparer.Ordinal)
                .ToArray();
            decisions.Add(Describe(state.Reconcile(sweep, store)));
        }

        return decisions;
    }

    private sealed record UnknownEvent : ICoordinatorEvent;

    /// <summary>
    /// Random commands from a few workers against a store that grows, finds results and re-queues failed
    /// units; every decision is checked against what the XML docs promise, and the invariants after every step.
    /// </summary>
    private sealed class RandomRun(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly RetryPolicy _policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        private readonly string[] _workers = ["w1", "w2", "w3"];
        private readonly Dictionary<string, long> _requestIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StoreUnit> _store = new(StringComparer.Ordinal);
        private readonly List<string> _sweepIds = [];
        private readonly Dictionary<string, HashSet<int>> _issued = new(StringComparer.Ordinal);
        private readonly HashSet<string> _everDone = new(StringComparer.Ordinal);
        private readonly List<UnitTicket> _tickets = [];
        private readonly CoordinatorJournal _journal = new();
        private double _now;
        private int _nextUnit;
        private int _lateCompletions;
        private string _where = "";

        private CoordinatorState State => _journal.State;

        public void Run(int steps)
        {
            NewSweep();
            NewSweep();
            for (int step = 0; step < steps; step++)
            {
                int roll = _random.Next(100);
                _where = $"seed {seed}, step {step}, roll {roll}, now {_now}";
                if (roll < 30)
                {
                    Request();
                }
                else if (roll < 42)
                {
                    CompleteSome();
                }
                else if (roll < 52)
                {
                    CrashOne();
                }
                else if (roll < 58)
                {
                    ReturnSome();
                }
                else if (roll < 63)
                {
                    ReleaseWorker();
                }
                else if (roll < 68)
                {
                    ReleaseSome();
                }
                else if (roll < 82)
                {
                    ReconcileOne();
                }
                else if (roll < 88)
                {
                    FinishAll();
                }
                else if (roll < 97)
                {
                    _now += _random.NextDouble() * 3;
                }
                else
                {
                    var restored = CoordinatorState.FromSnapshot(State.ToSnapshot());
                    Assert.True(Describe(State) == Describe(restored), $"{_where}: snapshot round trip differs");
                    _journal.Restore(restored);
                }

                CheckInvariants();
            }

            var replayed = CoordinatorJournal.Replay(_journal.Events);
            Assert.True(Describe(State) == Describe(replayed), $"seed {seed}: replaying the journal gives another state");
            // The run proves little unless it went everywhere.
            var kinds = _journal.Events.Select(e => e.GetType().Name).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(
                ["FailedUnitsRequeued", "SweepAccepted", "SweepFinished", "UnitAttemptFailed", "UnitsCompleted", "UnitsHandedOut", "UnitsReleased"],
                kinds);
            var events = _journal.Events;
            Assert.True(events.OfType<UnitAttemptFailed>().Any(e => e.FailedForGood), $"seed {seed}: no crash failed a unit for good");
            Assert.True(events.OfType<UnitsReleased>().Any(e => e.FailedForGood.Count > 0), $"seed {seed}: no release failed a unit for good");
            Assert.True(events.OfType<UnitsReleased>().Any(e => !e.CountsAsAttempt), $"seed {seed}: no return");
            Assert.True(events.OfType<UnitsCompleted>().Any(e => e.NodeId == CoordinatorState.StoreNode), $"seed {seed}: no completion found in the store");
            Assert.True(_lateCompletions > 0, $"seed {seed}: no late completion");
        }

        private void Request()
        {
            string node = Pick(_workers);
            // The state remembers the last request that was given units (a request answered with nothing is
            // not recorded: its repeat is a new request).
            long last = State.LastRequests.TryGetValue(node, out var request) ? request.RequestId : 0;
            if (last > 0 && _random.Next(5) == 0)
            {
                var repeat = State.RepeatedRequest(node, last);
                Check(repeat is not null, "a repeat of the last request is answered");
                var given = State.LastRequests[node].Units;
                Check(repeat.All(t => given.Contains(t) && IsHeldBy(t, node)), "a repeat gives back only units given for it and still held");
                Check(repeat.Count == given.Count(t => IsHeldBy(t, node)), "a repeat gives back every unit given for it and still held");
                if (last > 1)
                {
                    Check(State.RepeatedRequest(node, _random.NextInt64(0, last)) is { Count: 0 }, "an older request gets nothing");
                }

                return;
            }

            long id = Math.Max(last, _requestIds.GetValueOrDefault(node)) + 1;
            _requestIds[node] = id;
            Check(State.RepeatedRequest(node, id) is null, "a new request id is not a repeat");
            int count = _random.Next(1, 5);
            var due = DueUnits();
            var e = State.HandOut(node, id, count, _now);
            if (due.Count == 0)
            {
                Check(e is null, "nothing due, nothing handed out");
                return;
            }

            Check(e is not null && e.NodeId == node && e.RequestId == id && e.At == _now, "a hand-out when units are due");
            Check(
                e.Units.Select(t => t.UnitId).SequenceEqual(due.Take(count).Select(u => u.UnitId)),
                $"hand-out order: got [{Tickets(e.Units)}], due [{string.Join(", ", due.Take(count).Select(u => u.UnitId))}]");
            foreach (var t in e.Units)
            {
                var before = State.Units[t.UnitId];
                Check(t.Attempt == before.Attempt + 1, $"{t.UnitId}: attempt {t.Attempt} follows {before.Attempt}");
                Check(_issued.GetValueOrDefault(t.UnitId)?.Contains(t.Attempt) != true, $"{t.UnitId}#{t.Attempt} handed out twice");
                _issued.TryAdd(t.UnitId, []);
                _issued[t.UnitId].Add(t.Attempt);
                _tickets.Add(t);
            }

            Persist(e);
            Check(e.Units.All(t => IsHeldBy(t, node)), "handed-out units are held by the requester");
        }

        private void CompleteSome()
        {
            string node = Pick(_workers);
            var tickets = SomeTickets(node);
            var expected = tickets
                .Where(t => State.Units.TryGetValue(t.UnitId, out var u) && u.Phase != UnitPhase.Done)
                .Select(t => t.UnitId)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            var e = State.Complete(node, tickets);
            _lateCompletions += e?.Units.Count(t => !IsHeldBy(t, node)) ?? 0;
            Check(expected.Length == 0 ? e is null : e is not null && e.Units.Select(t => t.UnitId).SequenceEqual(expected), "completion of exactly the units not done");
            foreach (var t in tickets)
            {
                if (_store.TryGetValue(t.UnitId, out var s))
                {
                    s.Done = true; // the worker reports only after its results are committed
                }
            }

            Persist(e);
            Check(tickets.All(t => !State.Units.ContainsKey(t.UnitId) || State.Units[t.UnitId].Phase == UnitPhase.Done), "completed units are done");
        }

        private void CrashOne()
        {
            var held = State.Units.Values.Where(u => u.Phase == UnitPhase.HandedOut).OrderBy(u => u.UnitId, StringComparer.Ordinal).ToArray();
            string node;
            UnitTicket ticket;
            if (held.Length > 0 && _random.Next(4) > 0)
            {
                var unit = Pick(held);
                node = unit.Owner!;
                ticket = unit.Ticket;
            }
            else if (_tickets.Count > 0)
            {
                node = Pick(_workers);
                ticket = Pick(_tickets);
            }
            else
            {
                return;
            }

            bool current = IsHeldBy(ticket, node);
            var e = State.Crash(node, ticket, "crash", _now, _policy);
            if (!current)
            {
                Check(e is null, "a stale crash report is ignored");
                return;
            }

            var before = State.Units[ticket.UnitId];
            Check(e is not null && e.Unit == ticket && e.NodeId == node, "a crash of a held unit");
            Check(e.FailedForGood == (before.AttemptsUsed >= _policy.MaxAttempts), "failed for good exactly at the limit");
            Check(e.RetryAt == _now + _policy.Delay(before.AttemptsUsed).TotalSeconds, "retry after the backoff");
            Persist(e);
            var after = State.Units[ticket.UnitId];
            Check(after.Phase == (e.FailedForGood ? UnitPhase.Failed : UnitPhase.Open), "a crashed unit is reopened or failed");
        }

        private void ReturnSome()
        {
            string node = Pick(_workers);
            var tickets = SomeTickets(node);
            var expected = tickets.Where(t => IsHeldBy(t, node)).Select(t => t.UnitId).Distinct(StringComparer.Ordinal).ToArray();
            var used = expected.ToDictionary(id => id, id => State.Units[id].AttemptsUsed, StringComparer.Ordinal);
            var e = State.Return(node, tickets, "draining", _now);
            Check(
                expected.Length == 0 ? e is null : e is not null && e.Reopened.Select(t => t.UnitId).SequenceEqual(expected) && e.FailedForGood.Count == 0 && !e.CountsAsAttempt && e.RetryAt == _now,
                "a return of exactly the units the node holds");
            Persist(e);
            foreach (string id in expected)
            {
                var u = State.Units[id];
                Check(u.Phase == UnitPhase.Open && u.AttemptsUsed == used[id] - 1 && u.RetryAt == _now, $"{id} returned without using an attempt");
            }
        }

        private void ReleaseWorker()
        {
            string node = Pick(_workers);
            var held = State.HeldBy(node).Select(u => u.UnitId).Order(StringComparer.Ordinal).ToArray();
            var e = State.ReleaseWorker(node, "left", _now, _policy);
            Check(held.Length == 0 ? e is null : e is not null && e.CountsAsAttempt, "release of a worker holding units");
            if (e is not null)
            {
                CheckRelease(e, held);
            }

            Persist(e);
            Check(!State.HeldBy(node).Any(), "a released worker holds nothing");
        }

        private void ReleaseSome()
        {
            var tickets = Enumerable.Range(0, _random.Next(1, 5)).Where(_ => _tickets.Count > 0).Select(_ => Pick(_tickets)).ToArray();
            var current = tickets
                .Where(t => State.Units[t.UnitId] is { Phase: UnitPhase.HandedOut } u && u.Attempt == t.Attempt)
                .Select(t => t.UnitId)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToArray();
            var e = State.Release(tickets, "silent", _now, _policy);
            Check(current.Length == 0 ? e is null : e is not null && e.CountsAsAttempt, "release of current tickets only");
            if (e is not null)
            {
                CheckRelease(e, current);
            }

            Persist(e);
        }

        private void CheckRelease(UnitsReleased e, string[] expected)
        {
            Check(e.Reopened.Concat(e.FailedForGood).Select(t => t.UnitId).Order(StringComparer.Ordinal).SequenceEqual(expected), "released exactly the expected units");
            Check(e.FailedForGood.All(t => State.Units[t.UnitId].AttemptsUsed >= _policy.MaxAttempts), "failed for good only at the limit");
            Check(e.Reopened.All(t => State.Units[t.UnitId].AttemptsUsed < _policy.MaxAttempts), "reopened below the limit");
            if (e.Reopened.Count > 0)
            {
                double soonest = e.Reopened.Min(t => _policy.Delay(State.Units[t.UnitId].AttemptsUsed).TotalSeconds);
                Check(e.RetryAt == _now + soonest, "released units wait the soonest backoff");
            }
        }

        private void ReconcileOne()
        {
            if (_random.Next(10) == 0)
            {
                NewSweep();
                return;
            }

            string sweepId = Pick(_sweepIds);
            var units = _store.Where(kv => kv.Value.SweepId == sweepId).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
            if (_random.Next(10) < 3)
            {
                AddUnits(sweepId, _random.Next(1, 4));                          // the grid grew
            }

            if (units.Length > 0 && _random.Next(10) < 2)
            {
                _store[Pick(units)].Done = true;                                // results found in the store
            }

            var failed = units.Where(id => State.Units.TryGetValue(id, out var u) && u.Phase == UnitPhase.Failed).ToArray();
            if (failed.Length > 0 && _random.Next(10) < 5)
            {
                _store[Pick(failed)].Failed = false;                            // --retry-failed
            }

            Reconcile(sweepId);
        }

        private void NewSweep()
        {
            string sweepId = $"s{_sweepIds.Count}";
            _sweepIds.Add(sweepId);
            AddUnits(sweepId, _random.Next(0, 8));
            Reconcile(sweepId);
        }

        private void Reconcile(string sweepId)
        {
            var storeUnits = _store
                .Where(kv => kv.Value.SweepId == sweepId)
                .Select(kv => new AcceptedUnit(kv.Key, kv.Value.Cost, kv.Value.Done, kv.Value.Failed && !kv.Value.Done))
                .ToArray();
            var events = State.Reconcile(sweepId, storeUnits);
            foreach (var e in events)
            {
                Persist(e);
            }

            Check(State.Reconcile(sweepId, storeUnits).Count == 0, "reconcile is idempotent");
            Check(State.Sweeps.ContainsKey(sweepId), "the sweep is known");
            foreach (var u in storeUnits)
            {
                var known = State.Units[u.UnitId];
                Check(!u.Done || known.Phase == UnitPhase.Done, $"{u.UnitId}: done in the store, done here");
                Check(u.Done || u.Failed || known.Phase != UnitPhase.Failed, $"{u.UnitId}: pending in the store, not failed here");
            }
        }

        private void FinishAll()
        {
            var finished = State.Finish(_now);
            Check(finished.All(f => State.Sweeps[f.SweepId] is { AllSettled: true, Finished: false } && f.At == _now), "finish only settled unfinished sweeps");
            Check(
                State.Sweeps.Values.Count(s => s.AllSettled && !s.Finished) == finished.Count,
                "finish every settled unfinished sweep");
            foreach (var e in finished)
            {
                Persist(e);
            }

            Check(State.Finish(_now).Count == 0, "a sweep is finished once");
        }

        private void Persist(ICoordinatorEvent? e)
        {
            if (e is null)
            {
                return;
            }

            string before = Describe(State);
            var phases = State.Units.ToDictionary(kv => kv.Key, kv => kv.Value.Phase, StringComparer.Ordinal);
            _journal.Persist(e);
            Check(Describe(State) != before, $"an event that changes nothing: {Describe(e)}");
            foreach (var u in State.Units.Values)
            {
                if (u.Phase == UnitPhase.Failed && phases.GetValueOrDefault(u.UnitId) != UnitPhase.Failed)
                {
                    _store[u.UnitId].Failed = true;                             // the coordinator records it in the store
                }
            }
        }

        private void CheckInvariants()
        {
            var units = State.Units.Values.ToArray();
            foreach (var sweep in State.Sweeps.Values)
            {
                var own = units.Where(u => u.SweepId == sweep.SweepId).ToArray();
                Check(sweep.Units == own.Length, $"{sweep.SweepId}: unit count");
                Check(sweep.Done == own.Count(u => u.Phase == UnitPhase.Done), $"{sweep.SweepId}: done count {sweep.Done}");
                Check(sweep.Failed == own.Count(u => u.Phase == UnitPhase.Failed), $"{sweep.SweepId}: failed count {sweep.Failed}");
                Check(!sweep.Finished || sweep.AllSettled, $"{sweep.SweepId}: finished but not settled");
            }

            foreach (var u in units)
            {
                Check(State.Sweeps.ContainsKey(u.SweepId), $"{u.UnitId}: its sweep is known");
                Check(u.Phase is not (UnitPhase.HandedOut) || u.Owner is not null, $"{u.UnitId}: handed out without an owner");
                Check(u.Phase is not (UnitPhase.Open or UnitPhase.Failed) || u.Owner is null, $"{u.UnitId}: {u.Phase} with an owner");
                Check(u.AttemptBase >= 0 && u.AttemptBase <= u.Attempt, $"{u.UnitId}: attempt base {u.AttemptBase} above attempt {u.Attempt}");
                Check(u.Attempt == (_issued.TryGetValue(u.UnitId, out var issued) ? issued.Max() : 0), $"{u.UnitId}: attempt {u.Attempt} is not the last handed out");
                Check(u.Phase != UnitPhase.Open || u.AttemptsUsed < _policy.MaxAttempts, $"{u.UnitId}: open with no attempt left");
                Check(u.Phase != UnitPhase.HandedOut || (u.AttemptsUsed >= 1 && u.AttemptsUsed <= _policy.MaxAttempts), $"{u.UnitId}: held with {u.AttemptsUsed} attempts used");
                Check(u.Phase == UnitPhase.Done || !_everDone.Contains(u.UnitId), $"{u.UnitId}: done went back to {u.Phase}");
                if (u.Phase == UnitPhase.Done)
                {
                    _everDone.Add(u.UnitId);
                }
            }

            var open = units.Where(u => u.Phase == UnitPhase.Open).OrderByDescending(u => u.Cost).ThenBy(u => u.UnitId, StringComparer.Ordinal).ToArray();
            Check(State.OpenCount == open.Length, $"open count {State.OpenCount}, open units {open.Length}");
            Check(OpenQueue(State).Select(t => t.UnitId).SequenceEqual(open.Select(u => u.UnitId)), "the queue holds exactly the open units in order");
            var due = DueUnits();
            var all = State.HandOut("probe", long.MaxValue, int.MaxValue, _now);
            Check((all?.Units ?? []).Select(t => t.UnitId).SequenceEqual(due.Select(u => u.UnitId)), "a huge hand-out gives exactly the due open units");
            Check(State.HasDueUnits(_now) == (due.Count > 0), "due units are noticed");

            var held = units.Where(u => u.Phase == UnitPhase.HandedOut).Select(u => u.UnitId).Order(StringComparer.Ordinal);
            var heldByWorkers = _workers.SelectMany(State.HeldBy).Select(u => u.UnitId).Order(StringComparer.Ordinal);
            Check(held.SequenceEqual(heldByWorkers), "every held unit is held by one worker");
            foreach (var last in State.LastRequests.Values)
            {
                var repeat = State.RepeatedRequest(last.NodeId, last.RequestId);
                Check(repeat is not null && repeat.All(t => last.Units.Contains(t) && IsHeldBy(t, last.NodeId)), $"{last.NodeId}: a repeat gives held units of the last request");
            }
        }

        private List<UnitEntry> DueUnits() => State.Units.Values
            .Where(u => u.Phase == UnitPhase.Open && u.RetryAt <= _now)
            .OrderByDescending(u => u.Cost)
            .ThenBy(u => u.UnitId, StringComparer.Ordinal)
            .ToList();

        private bool IsHeldBy(UnitTicket t, string node) =>
            State.Units.TryGetValue(t.UnitId, out var u) && u.Phase == UnitPhase.HandedOut && u.Attempt == t.Attempt && u.Owner == node;

        /// <summary>Mostly the node's own current tickets, sometimes old or another node's.</summary>
        private UnitTicket[] SomeTickets(string node)
        {
            var own = State.HeldBy(node).Select(u => u.Ticket).OrderBy(t => t.UnitId, StringComparer.Ordinal).ToArray();
            var picked = new List<UnitTicket>();
            int n = _random.Next(1, 4);
            for (int i = 0; i < n; i++)
            {
                if (own.Length > 0 && _random.Next(3) > 0)
                {
                    picked.Add(Pick(own));
                }
                else if (_tickets.Count > 0)
                {
                    picked.Add(Pick(_tickets));
                }
            }

            return picked.ToArray();
        }

        private void AddUnits(string sweepId, int n)
        {
            for (int i = 0; i < n; i++)
            {
                _store[$"u{_nextUnit++:D3}"] = new StoreUnit(sweepId, _random.Next(1, 5), done: _random.Next(12) == 0);
            }
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private void Check([DoesNotReturnIf(false)] bool condition, string what) => Assert.True(condition, $"{_where}: {what}");
    }

    private sealed class StoreUnit(string sweepId, double cost, bool done)
    {
        public string SweepId { get; } = sweepId;

        public double Cost { get; } = cost;

        public bool Done { get; set; } = done;

        public bool Failed { get; set; }
    }
}
