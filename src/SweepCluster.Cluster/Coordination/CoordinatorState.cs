using System.Collections.Immutable;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// The coordinator's state as an immutable value: which units exist, which are open (in hand-out order, most
/// expensive first), who holds what under which attempt, what is done or failed. Decisions
/// (<see cref="HandOut"/>, <see cref="Complete"/>, ...) read the state and return the events to persist, or
/// null when nothing would change; <see cref="Apply"/> is the only way to a new state, used alike after a
/// persist and in recovery. No clock, no I/O: callers pass the time.
/// </summary>
public sealed class CoordinatorState
{
    /// <summary>The reporter of completions the coordinator finds in the store itself.</summary>
    public const string StoreNode = "store";

    public static readonly CoordinatorState Empty = new(
        ImmutableDictionary<string, SweepEntry>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, UnitEntry>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedSet<OpenKey>.Empty.WithComparer(OpenKey.HandOutOrder),
        ImmutableDictionary<string, WorkerRequest>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableSortedSet<OpenKey> _open;

    private CoordinatorState(
        ImmutableDictionary<string, SweepEntry> sweeps,
        ImmutableDictionary<string, UnitEntry> units,
        ImmutableSortedSet<OpenKey> open,
        ImmutableDictionary<string, WorkerRequest> lastRequests)
    {
        Sweeps = sweeps;
        Units = units;
        _open = open;
        LastRequests = lastRequests;
    }

    public ImmutableDictionary<string, SweepEntry> Sweeps { get; }

    public ImmutableDictionary<string, UnitEntry> Units { get; }

    /// <summary>Each worker's last request and what it was given.</summary>
    public ImmutableDictionary<string, WorkerRequest> LastRequests { get; }

    /// <summary>Units waiting in the queue (some perhaps not yet due for their retry).</summary>
    public int OpenCount => _open.Count;

    /// <summary>Units of every sweep not yet done or failed: open, or held by a worker.</summary>
    public int UnsettledCount => Sweeps.Values.Sum(s => s.Units - s.Done - s.Failed);

    /// <summary>Whether some open unit may be handed out at <paramref name="now"/>, none of a sweep in <paramref name="closed"/>.</summary>
    public bool HasDueUnits(double now, IReadOnlySet<string>? closed = null) =>
        _open.Any(k => Units[k.UnitId] is var u && u.RetryAt <= now && closed?.Contains(u.SweepId) != true);

    /// <summary>The units a worker holds now.</summary>
    public IEnumerable<UnitEntry> HeldBy(string nodeId) =>
        Units.Values.Where(u => u.Phase == UnitPhase.HandedOut && string.Equals(u.Owner, nodeId, StringComparison.Ordinal));

    // ---- decisions -------------------------------------------------------------------------------------

    /// <summary>
    /// Brings a sweep in line with the store's view of its units: units the state lacks are accepted, units
    /// the store has results for are completed, units the store has re-queued (retry-failed) are reopened.
    /// </summary>
    public IReadOnlyList<ICoordinatorEvent> Reconcile(string sweepId, IReadOnlyList<AcceptedUnit> storeUnits)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        ArgumentNullException.ThrowIfNull(storeUnits);
        var events = new List<ICoordinatorEvent>();
        var fresh = storeUnits.Where(u => !Units.ContainsKey(u.UnitId)).ToArray();
        if (fresh.Length > 0 || !Sweeps.ContainsKey(sweepId))
        {
            events.Add(new SweepAccepted(sweepId, fresh));
        }

        var doneInStore = storeUnits
            .Where(u => u.Done && Units.TryGetValue(u.UnitId, out var known) && known.Phase != UnitPhase.Done)
            .Select(u => Units[u.UnitId].Ticket)
            .ToArray();
        if (doneInStore.Length > 0)
        {
            events.Add(new UnitsCompleted(StoreNode, doneInStore));
        }

        var requeued = storeUnits
            .Where(u => !u.Done && !u.Failed && Units.TryGetValue(u.UnitId, out var known) && known.Phase == UnitPhase.Failed)
            .Select(u => u.UnitId)
            .ToArray();
        if (requeued.Length > 0)
        {
            events.Add(new FailedUnitsRequeued(sweepId, requeued));
        }

        return events;
    }

    /// <summary>
    /// Up to <paramref name="count"/> due open units for a worker (of one sweep, when <paramref name="sweepId"/>
    /// is set; never of a sweep in <paramref name="closed"/>: cancelled or deleted in the store), most expensive first, each under its next attempt. A repeat of the worker's last request is answered by <see cref="RepeatedRequest"/> instead.
    /// Null when nothing is due.
    /// </summary>
    public UnitsHandedOut? HandOut(string nodeId, long requestId, int count, double now, string? sweepId = null, IReadOnlySet<string>? closed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        if (count <= 0)
        {
            return null;
        }

        var tickets = new List<UnitTicket>(Math.Min(count, _open.Count));
        foreach (var key in _open)
        {
            var unit = Units[key.UnitId];
            if (unit.RetryAt > now || (sweepId is not null && !string.Equals(unit.SweepId, sweepId, StringComparison.Ordinal)) || closed?.Contains(unit.SweepId) == true)
            {
                continue;
            }

            tickets.Add(new UnitTicket(unit.UnitId, unit.Attempt + 1));
            if (tickets.Count == count)
            {
                break;
            }
        }

        return tickets.Count == 0 ? null : new UnitsHandedOut(nodeId, requestId, tickets, now);
    }

    /// <summary>
    /// The answer to a request the worker already made (its reply was lost): the units handed out for it
    /// that the worker still holds under the same attempt. Null when <paramref name="requestId"/> is new.
    /// </summary>
    public IReadOnlyList<UnitTicket>? RepeatedRequest(string nodeId, long requestId)
    {
        if (!LastRequests.TryGetValue(nodeId, out var last) || requestId > last.RequestId)
        {
            return null;
        }

        return requestId < last.RequestId
            ? []
            : last.Units.Where(t => IsHeld(t, nodeId)).ToArray();
    }

    /// <summary>
    /// Completions of units not yet done. A late completion (an older attempt, another holder) counts too:
    /// the worker reports only after its results are committed, and results are the same whoever computes them.
    /// </summary>
    public UnitsCompleted? Complete(string nodeId, IReadOnlyList<UnitTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var fresh = tickets
            .Where(t => Units.TryGetValue(t.UnitId, out var u) && u.Phase != UnitPhase.Done)
            .DistinctBy(t => t.UnitId, StringComparer.Ordinal)
            .ToArray();
        return fresh.Length == 0 ? null : new UnitsCompleted(nodeId, fresh);
    }

    /// <summary>
    /// A crash of the holder's current attempt: the unit waits for its backoff, or fails for good at the
    /// attempt limit. A report under an old attempt or from another node is stale: null.
    /// </summary>
    public UnitAttemptFailed? Crash(string nodeId, UnitTicket ticket, string reason, double now, RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(policy);
        if (!IsHeld(ticket, nodeId))
        {
            return null;
        }

        var unit = Units[ticket.UnitId];
        bool exhausted = unit.AttemptsUsed >= policy.MaxAttempts;
        return new UnitAttemptFailed(nodeId, ticket, reason, now + policy.Delay(unit.AttemptsUsed).TotalSeconds, exhausted);
    }

    /// <summary>Units a draining worker never started, back in the queue at once without using an attempt.</summary>
    public UnitsReleased? Return(string nodeId, IReadOnlyList<UnitTicket> tickets, string reason, double now)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var held = tickets.Where(t => IsHeld(t, nodeId)).DistinctBy(t => t.UnitId, StringComparer.Ordinal).ToArray();
        return held.Length == 0 ? null : new UnitsReleased(held, [], reason, CountsAsAttempt: false, RetryAt: now);
    }

    /// <summary>Every unit a worker holds, taken back because the worker left the cluster.</summary>
    public UnitsReleased? ReleaseWorker(string nodeId, string reason, double now, RetryPolicy policy) =>
        Release(HeldBy(nodeId).Select(u => u.Ticket).ToArray(), reason, now, policy);

    /// <summary>
    /// Units taken back from a holder that was lost or went silent: the attempt counts, so each is reopened
    /// after its backoff, or failed for good at the attempt limit. Stale tickets are ignored.
    /// </summary>
    public UnitsReleased? Release(IReadOnlyList<UnitTicket> tickets, string reason, double now, RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(policy);
        var current = tickets
            .Where(t => Units.TryGetValue(t.UnitId, out var u) && u.Phase == UnitPhase.HandedOut && u.Attempt == t.Attempt)
            .DistinctBy(t => t.UnitId, StringComparer.Ordinal)
            .ToArray();
        if (current.Length == 0)
        {
            return null;
        }

        var exhausted = current.Where(t => Units[t.UnitId].AttemptsUsed >= policy.MaxAttempts).ToArray();
        var reopened = current.Except(exhausted).ToArray();
        double retryAt = reopened.Length == 0 ? now : now + reopened.Min(t => policy.Delay(Units[t.UnitId].AttemptsUsed).TotalSeconds);
        return new UnitsReleased(reopened, exhausted, reason, CountsAsAttempt: true, RetryAt: retryAt);
    }

    /// <summary>Sweeps whose units are all done or failed and that are not yet marked finished.</summary>
    public IReadOnlyList<SweepFinished> Finish(double now) =>
        Sweeps.Values.Where(s => s.AllSettled && !s.Finished).OrderBy(s => s.SweepId, StringComparer.Ordinal).Select(s => new SweepFinished(s.SweepId, now)).ToArray();

    /// <summary>The view `sweep status` shows of one sweep.</summary>
    public SweepView View(string sweepId)
    {
        var sweep = Sweeps.TryGetValue(sweepId, out var s) ? s : new SweepEntry(sweepId, 0, 0, 0, false);
        int open = 0, handedOut = 0;
        foreach (var unit in Units.Values)
        {
            if (!string.Equals(unit.SweepId, sweepId, StringComparison.Ordinal))
            {
                continue;
            }

            open += unit.Phase == UnitPhase.Open ? 1 : 0;
            handedOut += unit.Phase == UnitPhase.HandedOut ? 1 : 0;
        }

        return new SweepView(sweepId, sweep.Units, open, handedOut, sweep.Done, sweep.Failed, sweep.Finished);
    }

    private bool IsHeld(UnitTicket ticket, string nodeId) =>
        Units.TryGetValue(ticket.UnitId, out var u)
        && u.Phase == UnitPhase.HandedOut
        && u.Attempt == ticket.Attempt
        && string.Equals(u.Owner, nodeId, StringComparison.Ordinal);

    // ---- events ----------------------------------------------------------------------------------------

    /// <summary>The state after <paramref name="e"/>. Events that no longer apply (a stale ticket) change nothing.</summary>
    public CoordinatorState Apply(ICoordinatorEvent e) => e switch
    {
        SweepAccepted accepted => ApplyAccepted(accepted),
        UnitsHandedOut handedOut => ApplyHandedOut(handedOut),
        UnitsCompleted completed => ApplyCompleted(completed),
        UnitAttemptFailed failed => ApplyAttemptFailed(failed),
        UnitsReleased released => ApplyReleased(released),
        FailedUnitsRequeued requeued => ApplyRequeued(requeued),
        SweepFinished finished => Sweeps.TryGetValue(finished.SweepId, out var s)
            ? With(sweeps: Sweeps.SetItem(s.SweepId, s with { Finished = true }))
            : this,
        _ => throw new ArgumentException($"unknown coordinator event {e?.GetType().Name}", nameof(e)),
    };

    private CoordinatorState ApplyAccepted(SweepAccepted e)
    {
        var units = Units.ToBuilder();
        var open = _open.ToBuilder();
        var sweep = Sweeps.TryGetValue(e.SweepId, out var known) ? known : new SweepEntry(e.SweepId, 0, 0, 0, false);
        int added = 0, done = 0, failed = 0;
        foreach (var u in e.Units)
        {
            if (units.ContainsKey(u.UnitId))
            {
                continue;
            }

            var phase = u.Done ? UnitPhase.Done : u.Failed ? UnitPhase.Failed : UnitPhase.Open;
            units[u.UnitId] = new UnitEntry(u.UnitId, e.SweepId, u.Cost, phase, 0, 0, null, 0, 0, null);
            if (phase == UnitPhase.Open)
            {
                open.Add(new OpenKey(u.Cost, u.UnitId));
            }

            added++;
            done += phase == UnitPhase.Done ? 1 : 0;
            failed += phase == UnitPhase.Failed ? 1 : 0;
        }

        sweep = sweep with { Units = sweep.Units + added, Done = sweep.Done + done, Failed = sweep.Failed + failed };
        sweep = sweep with { Finished = sweep.Finished && sweep.AllSettled };
        return With(Sweeps.SetItem(e.SweepId, sweep), units.ToImmutable(), open.ToImmutable());
    }

    private CoordinatorState ApplyHandedOut(UnitsHandedOut e)
    {
        var units = Units.ToBuilder();
        var open = _open.ToBuilder();
        foreach (var t in e.Units)
        {
            if (!units.TryGetValue(t.UnitId, out var u) || u.Phase != UnitPhase.Open)
            {
                continue;
            }

            open.Remove(new OpenKey(u.Cost, u.UnitId));
            units[t.UnitId] = u with { Phase = UnitPhase.HandedOut, Attempt = t.Attempt, Owner = e.NodeId, HandedOutAt = e.At };
        }

        return With(units: units.ToImmutable(), open: open.ToImmutable(), lastRequests: LastRequests.SetItem(e.NodeId, new WorkerRequest(e.NodeId, e.RequestId, e.Units)));
    }

    private CoordinatorState ApplyCompleted(UnitsCompleted e)
    {
        var units = Units.ToBuilder();
        var open = _open.ToBuilder();
        var sweeps = Sweeps.ToBuilder();
        foreach (var t in e.Units)
        {
            if (!units.TryGetValue(t.UnitId, out var u) || u.Phase == UnitPhase.Done)
            {
                continue;
            }

            open.Remove(new OpenKey(u.Cost, u.UnitId));
            var s = sweeps[u.SweepId];
            sweeps[u.SweepId] = s with { Done = s.Done + 1, Failed = s.Failed - (u.Phase == UnitPhase.Failed ? 1 : 0) };
            units[t.UnitId] = u with { Phase = UnitPhase.Done, Owner = e.NodeId };
        }

        return With(sweeps.ToImmutable(), units.ToImmutable(), open.ToImmutable());
    }

    private CoordinatorState ApplyAttemptFailed(UnitAttemptFailed e)
    {
        if (!Units.TryGetValue(e.Unit.UnitId, out var u) || u.Phase != UnitPhase.HandedOut || u.Attempt != e.Unit.Attempt)
        {
            return this;
        }

        if (e.FailedForGood)
        {
            var s = Sweeps[u.SweepId];
            return With(
                sweeps: Sweeps.SetItem(u.SweepId, s with { Failed = s.Failed + 1 }),
                units: Units.SetItem(u.UnitId, u with { Phase = UnitPhase.Failed, Owner = null, LastError = e.Reason }));
        }

        return With(
            units: Units.SetItem(u.UnitId, u with { Phase = UnitPhase.Open, Owner = null, RetryAt = e.RetryAt, LastError = e.Reason }),
            open: _open.Add(new OpenKey(u.Cost, u.UnitId)));
    }

    private CoordinatorState ApplyReleased(UnitsReleased e)
    {
        var units = Units.ToBuilder();
        var open = _open.ToBuilder();
        var sweeps = Sweeps.ToBuilder();
        foreach (var t in e.Reopened)
        {
            if (units.TryGetValue(t.UnitId, out var u) && u.Phase == UnitPhase.HandedOut && u.Attempt == t.Attempt)
            {
                units[t.UnitId] = u with
                {
                    Phase = UnitPhase.Open,
                    Owner = null,
                    RetryAt = e.RetryAt,
                    AttemptBase = e.CountsAsAttempt ? u.AttemptBase : u.AttemptBase + 1,
                    LastError = e.CountsAsAttempt ? e.Reason : u.LastError,
                };
                open.Add(new OpenKey(u.Cost, u.UnitId));
            }
        }

        foreach (var t in e.FailedForGood)
        {
            if (units.TryGetValue(t.UnitId, out var u) && u.Phase == UnitPhase.HandedOut && u.Attempt == t.Attempt)
            {
                units[t.UnitId] = u with { Phase = UnitPhase.Failed, Owner = null, LastError = e.Reason };
                var s = sweeps[u.SweepId];
                sweeps[u.SweepId] = s with { Failed = s.Failed + 1 };
            }
        }

        return With(sweeps.ToImmutable(), units.ToImmutable(), open.ToImmutable());
    }

    private CoordinatorState ApplyRequeued(FailedUnitsRequeued e)
    {
        var units = Units.ToBuilder();
        var open = _open.ToBuilder();
        var sweeps = Sweeps.ToBuilder();
        foreach (string id in e.UnitIds)
        {
            if (units.TryGetValue(id, out var u) && u.Phase == UnitPhase.Failed)
            {
                // A fresh budget: the attempt counter goes on (fencing), the base moves up to it.
                units[id] = u with { Phase = UnitPhase.Open, AttemptBase = u.Attempt, RetryAt = 0 };
                open.Add(new OpenKey(u.Cost, id));
                var s = sweeps[u.SweepId];
                sweeps[u.SweepId] = s with { Failed = s.Failed - 1, Finished = false };
            }
        }

        return With(sweeps.ToImmutable(), units.ToImmutable(), open.ToImmutable());
    }

    // ---- snapshots -------------------------------------------------------------------------------------

    public CoordinatorSnapshot ToSnapshot() => new(
        Sweeps.Values.OrderBy(s => s.SweepId, StringComparer.Ordinal).ToArray(),
        Units.Values.OrderBy(u => u.UnitId, StringComparer.Ordinal).ToArray(),
        LastRequests.Values.OrderBy(r => r.NodeId, StringComparer.Ordinal).ToArray());

    public static CoordinatorState FromSnapshot(CoordinatorSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new CoordinatorState(
            Empty.Sweeps.AddRange(snapshot.Sweeps.Select(s => KeyValuePair.Create(s.SweepId, s))),
            Empty.Units.AddRange(snapshot.Units.Select(u => KeyValuePair.Create(u.UnitId, u))),
            Empty._open.Union(snapshot.Units.Where(u => u.Phase == UnitPhase.Open).Select(u => new OpenKey(u.Cost, u.UnitId))),
            Empty.LastRequests.AddRange(snapshot.LastRequests.Select(r => KeyValuePair.Create(r.NodeId, r))));
    }

    private CoordinatorState With(
        ImmutableDictionary<string, SweepEntry>? sweeps = null,
        ImmutableDictionary<string, UnitEntry>? units = null,
        ImmutableSortedSet<OpenKey>? open = null,
        ImmutableDictionary<string, WorkerRequest>? lastRequests = null) =>
        new(sweeps ?? Sweeps, units ?? Units, open ?? _open, lastRequests ?? LastRequests);

    /// <summary>An open unit's place in the queue: the most expensive first (it shortens the tail), then by id.</summary>
    private readonly record struct OpenKey(double Cost, string UnitId)
    {
        public static readonly IComparer<OpenKey> HandOutOrder = Comparer<OpenKey>.Create((a, b) =>
        {
            int byCost = b.Cost.CompareTo(a.Cost);
            return byCost != 0 ? byCost : string.CompareOrdinal(a.UnitId, b.UnitId);
        });
    }
}
