using Akka.Actor;
using Akka.Persistence;
using Serilog;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// The coordinator: a cluster singleton on the oldest coordinator-role node and a persistent actor. Its state
/// (<see cref="CoordinatorState"/>) is the journal of its events: it persists, then acts. Workers pull work
/// (register, are told work exists, ask for units) and report completions after their results are committed
/// to the store; the coordinator fences reports by attempt, takes units back from workers that leave the
/// cluster or fall silent, retries crashed units with backoff and fails them for good at the limit. It learns
/// of sweeps from the store, which stays the home of what users query.
/// </summary>
public sealed class SweepCoordinator : ReceivePersistentActor, IWithTimers
{
    /// <summary>The journal's id for the coordinator: one coordinator per store.</summary>
    public const string JournalId = "sweep-coordinator";

    private const string TickTimer = "tick";
    private const string ScanTimer = "scan";

    private readonly ISweepStore _store;
    private readonly NodeFault? _fault;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..8];

    // Runtime only, rebuilt after a failover: workers re-register (a heartbeat from an unknown worker
    // registers it), and every held unit counts as just seen when the coordinator starts.
    private readonly Dictionary<string, WorkerSeat> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lastSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watchRequested = new(StringComparer.Ordinal);
    private readonly CostRate _costRate = new();
    private CoordinatorState _state = CoordinatorState.Empty;

    // Sweeps the store no longer offers work for (cancelled, or deleted): runtime only, from each look at the store,
    // because a cancel is the user's word in the store, not a decision of the coordinator to journal.
    private IReadOnlySet<string> _closed = new HashSet<string>(StringComparer.Ordinal);

    // Worker commands that change the state, in arrival order, waiting for the next Flush: every command that
    // arrived while the journal was busy is decided and written in one PersistAll (group commit), instead of one
    // journal round trip per command. Replies still go out only once the events are in the journal.
    private readonly List<(ICoordinatorCommand Command, IActorRef Sender)> _queued = [];
    private bool _finishAfterFlush;
    private bool _announceAfterFlush;
    private int _eventsSinceSnapshot;
    private bool _scanning;

    // Until the first look at the store is applied, an empty state means "not read yet", not "nothing to do".
    private bool _storeRead;

    public SweepCoordinator(ISweepStore store, ClusterSettings settings, ILogger log, TimeProvider? clock = null, NodeFault? fault = null)
    {
        _fault = fault;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        // The host passes its NodeId in the logger's context; lines about a worker or a unit add WorkerId (and the unit's ids).
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _clock = clock ?? TimeProvider.System;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is CoordinatorSnapshot snapshot)
            {
                _state = CoordinatorState.FromSnapshot(snapshot);
            }
        });
        Recover<ICoordinatorEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<RegisterWorker>(OnRegister);
        Command<RequestUnits>(Enqueue);
        Command<ReportUnitsDone>(Enqueue);
        Command<ReportUnitCrashed>(Enqueue);
        Command<ReturnUnits>(Enqueue);
        Command<Flush>(_ => OnFlush());
        Command<WorkerHeartbeat>(OnHeartbeat);
        Command<WatchSweep>(w =>
        {
            _watchRequested.Add(w.SweepId);
            StartScan();
            Sender.Tell(ToWatched(w.SweepId));
        });
        Command<GetCoordinatorStatus>(_ => Sender.Tell(Status()));
        Command<Terminated>(OnTerminated);
        Command<Tick>(_ => OnTick());
        Command<ScanStore>(_ => StartScan());
        Command<StoreScanned>(OnScanned);
        Command<StoreScanFailed>(f =>
        {
            _scanning = false;
            _log.Warning(f.Error, "Reading sweeps from {Store} failed; trying again at the next scan", _store.Description);
        });
        Command<SaveSnapshotSuccess>(s => _log.Debug("Coordinator snapshot saved at event {Sequence}", s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Saving a coordinator snapshot failed; recovery replays more events"));
    }

    public override string PersistenceId => JournalId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISweepStore store, ClusterSettings settings, ILogger log, TimeProvider? clock = null, NodeFault? fault = null) =>
        Akka.Actor.Props.Create(() => new SweepCoordinator(store, settings, log, clock, fault));

    private double Now => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// A journal entry this version cannot read was written by a newer one: say so, in words a user can act on,
    /// instead of only the serializer's exception. The supervisor tries again with backoff, so a newer coordinator
    /// that takes over meanwhile is not disturbed, and nothing in the journal is changed.
    /// </summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (reason?.GetBaseException() is System.Runtime.Serialization.SerializationException unreadable)
        {
            string why = $"the coordinator's journal holds an entry this version cannot read ({unreadable.Message}): a newer SweepCluster wrote it. Run that version (or newer) for this store; nothing was changed";
            if (_fault?.Report(why) ?? true)
            {
                _log.Error("The coordinator cannot start: {Reason}", why);
            }

            // The actor stops after this hook either way; the base would add the same failure with a stack trace.
            return;
        }

        base.OnRecoveryFailure(reason!, message);
    }

    /// <summary>
    /// A journal write failed and the actor stops. A full disk is not cured by the supervisor's restarts (each would
    /// fail on its first write), so it ends the process with advice instead of a restart loop.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        if (StoreFull.Is(cause))
        {
            if (_fault?.Report(StoreFull.Advice) ?? true)
            {
                _log.Error("The coordinator stopped: {Reason} ({Detail})", StoreFull.Advice, cause.GetBaseException().Message);
            }

            return;
        }

        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void OnRecovered()
    {
        // A held unit's worker has a few heartbeats to speak up to this incarnation; a worker that died with
        // the previous one (an embedded run killed and resumed) then loses its units well before the full
        // silence timeout.
        double seen = Now - _settings.UnitSilenceTimeout.TotalSeconds + Math.Min(_settings.UnitSilenceTimeout.TotalSeconds, 3 * _settings.HeartbeatInterval.TotalSeconds);
        foreach (var unit in _state.Units.Values.Where(u => u.Phase == UnitPhase.HandedOut))
        {
            _lastSeen[unit.UnitId] = seen;
        }

        _log.Information(
            "Coordinator {Incarnation} started at sequence {Sequence}: {Sweeps} sweeps, {Units} units, {Held} held by workers, {Unsettled} unsettled",
            _incarnation, LastSequenceNr, _state.Sweeps.Count, _state.Units.Count, _lastSeen.Count, _state.UnsettledCount);
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, TimeSpan.FromSeconds(1));
        Timers.StartPeriodicTimer(ScanTimer, ScanStore.Instance, _settings.ProgressInterval);
        StartScan();
    }

    private void OnRegister(RegisterWorker register)
    {
        Seat(register.NodeId, register.Worker, register.Slots);
        Sender.Tell(new WorkerRegistered(register.NodeId, _incarnation));
        if (_state.HasDueUnits(Now, _closed))
        {
            register.Worker.Tell(WorkAvailable.Instance);
        }
    }

    private void Seat(string nodeId, IActorRef worker, int slots)
    {
        if (_workers.TryGetValue(nodeId, out var seat) && seat.Worker.Equals(worker))
        {
            return;
        }

        Context.Watch(worker);
        _workers[nodeId] = new WorkerSeat(worker, slots, seat?.UnitsDone ?? 0);
        _log.ForContext("WorkerId", nodeId).Information("Worker {WorkerId} registered with {Slots} slots at {Address}", nodeId, slots, worker.Path.Address);
    }

    /// <summary>
    /// Queues a worker command for the next flush. The Flush message goes behind everything already in the
    /// mailbox, and while a journal write is in flight Akka stashes new commands and hands them back before it:
    /// so the flush takes every command that arrived meanwhile. One sender's commands keep their order.
    /// </summary>
    private void Enqueue(ICoordinatorCommand command)
    {
        if (_queued.Count == 0)
        {
            Self.Tell(Flush.Instance);
        }

        _queued.Add((command, Sender));
    }

    /// <summary>
    /// Decides the queued commands in order, each against the state the previous ones leave, and writes all
    /// their events in one PersistAll; the replies and other effects run once that write is in the journal.
    /// </summary>
    private void OnFlush()
    {
        if (_queued.Count == 0)
        {
            return;
        }

        var state = _state;
        var events = new List<ICoordinatorEvent>(_queued.Count);
        var effects = new List<Action>(_queued.Count);
        foreach (var (command, sender) in _queued)
        {
            var decision = command switch
            {
                RequestUnits request => DecideRequest(state, request, sender),
                ReportUnitsDone report => DecideDone(state, report, sender),
                ReportUnitCrashed report => DecideCrash(state, report, sender),
                ReturnUnits returned => DecideReturn(state, returned, sender),
                _ => throw new InvalidOperationException($"{command.GetType().Name} is not a queued command"),
            };
            if (decision.Event is { } e)
            {
                state = state.Apply(e);
                events.Add(e);
            }

            effects.Add(decision.Then);
        }

        _queued.Clear();
        if (events.Count == 0)
        {
            RunEffects(effects);
            return;
        }

        PersistEvents(events, () => RunEffects(effects));
    }

    /// <summary>The flushed commands' effects in order, then the sweep and work checks they asked for, once each.</summary>
    private void RunEffects(List<Action> effects)
    {
        _finishAfterFlush = false;
        _announceAfterFlush = false;
        foreach (var effect in effects)
        {
            effect();
        }

        if (_announceAfterFlush)
        {
            AnnounceWork();
        }

        if (_finishAfterFlush)
        {
            FinishSweeps();
        }
    }

    private Decision DecideRequest(CoordinatorState state, RequestUnits request, IActorRef sender)
    {
        if (state.RepeatedRequest(request.NodeId, request.RequestId) is { } repeated)
        {
            return new Decision(null, () => sender.Tell(Reply(request, repeated)));
        }

        if (state.HandOut(request.NodeId, request.RequestId, request.Count, Now, request.SweepId, _closed) is not { } handedOut)
        {
            return new Decision(null, () => sender.Tell(new UnitsHandedOutReply(request.NodeId, request.RequestId, [], Unsettled)));
        }

        return new Decision(handedOut, () =>
        {
            foreach (var ticket in handedOut.Units)
            {
                _lastSeen[ticket.UnitId] = handedOut.At;
            }

            sender.Tell(Reply(request, handedOut.Units));
        });
    }

    private UnitsHandedOutReply Reply(RequestUnits request, IReadOnlyList<UnitTicket> tickets) => new(
        request.NodeId,
        request.RequestId,
        tickets.Select(t => _state.Units[t.UnitId]).Select(u => new UnitAssignment(u.UnitId, u.SweepId, u.Attempt, u.Cost)).ToArray(),
        Unsettled);

    /// <summary>Units not yet done or failed; -1 while the store has not been read, so that no worker exits on an empty start.</summary>
    private int Unsettled => _storeRead ? _state.UnsettledCount : -1;

    private Decision DecideDone(CoordinatorState state, ReportUnitsDone report, IActorRef sender)
    {
        if (_workers.TryGetValue(report.NodeId, out var seat))
        {
            seat.UnitsDone += report.Units.Count;
        }

        if (state.Complete(report.NodeId, report.Units) is not { } completed)
        {
            return new Decision(null, () => sender.Tell(new UnitsDoneAcknowledged(report.Units)));
        }

        double now = Now;
        foreach (var ticket in completed.Units)
        {
            if (state.Units.TryGetValue(ticket.UnitId, out var unit) && unit.Phase == UnitPhase.HandedOut)
            {
                _costRate.Add(unit.Cost, now - unit.HandedOutAt);
            }
        }

        return new Decision(completed, () =>
        {
            foreach (var ticket in completed.Units)
            {
                _lastSeen.Remove(ticket.UnitId);
            }

            sender.Tell(new UnitsDoneAcknowledged(report.Units));
            _finishAfterFlush = true;
        });
    }

    private Decision DecideCrash(CoordinatorState state, ReportUnitCrashed report, IActorRef sender)
    {
        if (state.Crash(report.NodeId, report.Unit, report.Reason, Now, _settings.Retry) is not { } failed)
        {
            return new Decision(null, () => sender.Tell(new UnitCrashAcknowledged(report.Unit)));
        }

        return new Decision(failed, () =>
        {
            _lastSeen.Remove(report.Unit.UnitId);
            var log = UnitLog(report.Unit, report.NodeId);
            if (failed.FailedForGood)
            {
                log.Error("Unit {UnitId} failed on attempt {Attempt}, the last allowed: {Reason} (re-queue it with --retry-failed)", report.Unit.UnitId, report.Unit.Attempt, report.Reason);
                RecordFailure(report.Unit, report.NodeId, report.Reason);
            }
            else
            {
                log.Warning("Unit {UnitId} failed on attempt {Attempt}: {Reason}; retry in {Delay:0.0} s", report.Unit.UnitId, report.Unit.Attempt, report.Reason, failed.RetryAt - Now);
            }

            sender.Tell(new UnitCrashAcknowledged(report.Unit));
            _finishAfterFlush = true;
        });
    }

    private Decision DecideReturn(CoordinatorState state, ReturnUnits returned, IActorRef sender)
    {
        if (state.Return(returned.NodeId, returned.Units, returned.Reason, Now) is not { } released)
        {
            return new Decision(null, () => sender.Tell(new UnitsReturnedAcknowledged(returned.Units)));
        }

        return new Decision(released, () =>
        {
            ForgetSeen(released);
            _log.ForContext("WorkerId", returned.NodeId).Information("Worker {WorkerId} gave back {Units} unstarted units ({Reason})", returned.NodeId, released.Reopened.Count, returned.Reason);
            foreach (var ticket in released.Reopened)
            {
                UnitLog(ticket, returned.NodeId).Debug("Unit {UnitId} (attempt {Attempt}) given back by worker {WorkerId}", ticket.UnitId, ticket.Attempt, returned.NodeId);
            }

            sender.Tell(new UnitsReturnedAcknowledged(returned.Units));
            _announceAfterFlush = true;
        });
    }

    private void OnHeartbeat(WorkerHeartbeat heartbeat)
    {
        if (!_workers.ContainsKey(heartbeat.NodeId) && !Sender.IsNobody())
        {
            // A worker of the previous incarnation: its heartbeat is its registration here.
            Seat(heartbeat.NodeId, Sender, 0);
            Sender.Tell(new WorkerRegistered(heartbeat.NodeId, _incarnation));
        }

        double now = Now;
        foreach (var ticket in heartbeat.Held)
        {
            if (_state.Units.TryGetValue(ticket.UnitId, out var unit) && unit.Phase == UnitPhase.HandedOut && unit.Attempt == ticket.Attempt)
            {
                _lastSeen[ticket.UnitId] = now;
            }
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        string? nodeId = _workers.FirstOrDefault(w => w.Value.Worker.Equals(terminated.ActorRef)).Key;
        if (nodeId is null)
        {
            return;
        }

        _workers.Remove(nodeId);
        var log = _log.ForContext("WorkerId", nodeId);
        if (_state.ReleaseWorker(nodeId, "worker left the cluster", Now, _settings.Retry) is not { } released)
        {
            log.Information("Worker {WorkerId} left the cluster holding no units", nodeId);
            return;
        }

        PersistEvent(released, () =>
        {
            ForgetSeen(released);
            log.Warning("Worker {WorkerId} left the cluster; {Reopened} of its units go back to the queue, {Failed} failed for good", nodeId, released.Reopened.Count, released.FailedForGood.Count);
            foreach (var ticket in released.Reopened)
            {
                UnitLog(ticket, nodeId).Information("Unit {UnitId} (attempt {Attempt}) goes back to the queue: worker {WorkerId} left the cluster", ticket.UnitId, ticket.Attempt, nodeId);
            }

            AuditInStore(new JournalEvent(JournalEventKinds.NodeDead, null, null, nodeId, null, $"left the cluster holding {released.Reopened.Count + released.FailedForGood.Count} units"));
            foreach (var ticket in released.FailedForGood)
            {
                RecordFailure(ticket, nodeId, released.Reason);
            }

            AnnounceWork();
            FinishSweeps();
        });
    }

    private void OnTick()
    {
        double now = Now;
        double perCost = _costRate.SecondsPerCost;
        var stale = new List<UnitTicket>();
        foreach (var (unitId, seen) in _lastSeen)
        {
            var unit = _state.Units[unitId];
            bool silent = now - seen > _settings.UnitSilenceTimeout.TotalSeconds;
            bool overdue = perCost > 0 && now - unit.HandedOutAt > Math.Max(_settings.UnitOverdueFloor.TotalSeconds, _settings.UnitOverdueFactor * unit.Cost * perCost);
            if (silent || overdue)
            {
                stale.Add(unit.Ticket);
            }
        }

        // Released units have no owner any more; their lines name the worker that held them.
        var holders = stale.ToDictionary(t => t.UnitId, t => _state.Units[t.UnitId].Owner ?? "unknown", StringComparer.Ordinal);
        if (stale.Count > 0 && _state.Release(stale, "no word from the worker holding it", now, _settings.Retry) is { } released)
        {
            PersistEvent(released, () =>
            {
                ForgetSeen(released);
                foreach (var ticket in released.Reopened.Concat(released.FailedForGood))
                {
                    var unit = _state.Units[ticket.UnitId];
                    UnitLog(ticket, holders[ticket.UnitId]).Warning(
                        "Unit {UnitId} (attempt {Attempt}) fell silent on worker {WorkerId} (no heartbeat mentioned it for {Timeout:0} s, or it ran far past its predicted time); offered again",
                        ticket.UnitId, ticket.Attempt, holders[ticket.UnitId], _settings.UnitSilenceTimeout.TotalSeconds);
                    AuditInStore(new JournalEvent(JournalEventKinds.LeaseExpired, unit.SweepId, unit.UnitId, null, ticket.Attempt, "no word from its worker; offered again"));
                }
                foreach (var ticket in released.FailedForGood)
                {
                    RecordFailure(ticket, "coordinator", released.Reason);
                }

                AnnounceWork();
                FinishSweeps();
            });
            return;
        }

        if (_state.HasDueUnits(now, _closed))
        {
            AnnounceWork();
        }
    }

    private void StartScan()
    {
        if (_scanning)
        {
            return;
        }

        _scanning = true;
        var known = _state.Sweeps;
        var watch = _watchRequested.ToArray();
        _watchRequested.Clear();
        var store = _store;
        ReadStoreAsync(store, known, watch).PipeTo(Self, failure: e => new StoreScanFailed(e));
    }

    /// <summary>Off the actor: the sweeps whose units the state lacks or that were asked for, with the store's view of their units.</summary>
    private static async Task<StoreScanned> ReadStoreAsync(ISweepStore store, System.Collections.Immutable.ImmutableDictionary<string, SweepEntry> known, IReadOnlyCollection<string> watch)
    {
        var sweeps = await store.ListSweepsAsync().ConfigureAwait(false);
        var views = new List<(string SweepId, IReadOnlyList<AcceptedUnit> Units)>();
        foreach (var sweep in sweeps)
        {
            bool stale = !known.TryGetValue(sweep.Id, out var entry) || entry.Units != sweep.Units || watch.Contains(sweep.Id);
            if (!stale)
            {
                continue;
            }

            var units = await store.GetUnitsAsync(sweep.Id).ConfigureAwait(false);
            views.Add((sweep.Id, units.Select(u => new AcceptedUnit(u.UnitId, u.Cost, u.State == UnitStates.Done, u.State == UnitStates.Failed)).ToArray()));
        }

        var closed = sweeps.Where(s => s.Cancelled).Select(s => s.Id)
            .Concat(known.Keys.Except(sweeps.Select(s => s.Id), StringComparer.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        return new StoreScanned(views, closed);
    }

    private void OnScanned(StoreScanned scanned)
    {
        _scanning = false;
        foreach (string id in scanned.Closed.Except(_closed))
        {
            _log.ForContext("SweepId", id).Information("Sweep {SweepId} was cancelled or deleted in the store: no more of its units are handed out", id);
        }

        bool reopened = _closed.Except(scanned.Closed).Any();
        _closed = scanned.Closed;
        if (reopened)
        {
            AnnounceWork();
        }

        var events = scanned.Sweeps.SelectMany(s => _state.Reconcile(s.SweepId, s.Units)).ToArray();
        if (events.Length == 0)
        {
            _storeRead = true;
            return;
        }

        PersistEvents(events, () =>
        {
            _storeRead = true;
            foreach (var accepted in events.OfType<SweepAccepted>())
            {
                _log.ForContext("SweepId", accepted.SweepId).Information(
                    "Sweep {SweepId}: {Units} units accepted ({Done} already done in the store)", accepted.SweepId, accepted.Units.Count, accepted.Units.Count(u => u.Done));
            }

            AnnounceWork();
            FinishSweeps();
        });
    }

    private void FinishSweeps()
    {
        var finished = _state.Finish(Now);
        if (finished.Count == 0)
        {
            return;
        }

        PersistEvents(finished, () =>
        {
            foreach (var sweep in finished)
            {
                var entry = _state.Sweeps[sweep.SweepId];
                var log = _log.ForContext("SweepId", sweep.SweepId);
                if (entry.Failed > 0)
                {
                    log.Error("Sweep {SweepId} finished with {Failed} of {Units} units failed for good (re-queue them with --retry-failed)", sweep.SweepId, entry.Failed, entry.Units);
                }
                else
                {
                    log.Information("Sweep {SweepId} complete: {Units} units", sweep.SweepId, entry.Units);
                }

                string id = sweep.SweepId;

                // Idle workers ask again and learn that nothing is left (those told to exit when idle then exit).
                foreach (var seat in _workers.Values)
                {
                    seat.Worker.Tell(WorkAvailable.Instance);
                }

                _store.MarkSweepFinishedAsync(id).ContinueWith(
                    t => log.Warning(t.Exception, "Could not mark sweep {SweepId} finished in the store", id),
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted,
                    TaskScheduler.Default);
            }
        });
    }

    /// <summary>A unit failed for good is written to the store too, so `status` and the exports show it without a cluster.</summary>
    private void RecordFailure(UnitTicket ticket, string nodeId, string reason)
    {
        var log = UnitLog(ticket, nodeId);
        _store.MarkUnitFailedAsync(new UnitLease(ticket.UnitId, nodeId, ticket.Attempt), reason).ContinueWith(
            t => log.Warning(t.Exception, "Could not record the failure of unit {UnitId} in the store", ticket.UnitId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    /// <summary>The store's audit trail (what `status` shows); a line that cannot be written is only logged.</summary>
    private void AuditInStore(JournalEvent line) =>
        _store.AppendEventAsync(line).ContinueWith(
            t => _log.Warning(t.Exception, "Could not append {Kind} to the store's journal", line.Kind),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    private void AnnounceWork()
    {
        if (!_state.HasDueUnits(Now, _closed))
        {
            return;
        }

        foreach (var seat in _workers.Values)
        {
            seat.Worker.Tell(WorkAvailable.Instance);
        }
    }

    private void ForgetSeen(UnitsReleased released)
    {
        foreach (var ticket in released.Reopened.Concat(released.FailedForGood))
        {
            _lastSeen.Remove(ticket.UnitId);
        }
    }

    /// <summary>Persist, then act: the state changes and the side effects run only once the event is in the journal.</summary>
    private void PersistEvent(ICoordinatorEvent e, Action then) => PersistEvents([e], then);

    private void PersistEvents(IReadOnlyList<ICoordinatorEvent> events, Action then)
    {
        int remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining == 0)
            {
                then();
                MaybeSnapshot(events.Count);
            }
        });
    }

    private void MaybeSnapshot(int events)
    {
        _eventsSinceSnapshot += events;
        if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
        {
            _eventsSinceSnapshot = 0;
            SaveSnapshot(_state.ToSnapshot());
        }
    }

    private SweepWatched ToWatched(string sweepId)
    {
        var view = _state.View(sweepId);
        return new SweepWatched(sweepId, view.UnitsTotal, view.UnitsDone, view.UnitsFailed, view.Finished);
    }

    private CoordinatorStatus Status() => new(
        ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(),
        _incarnation,
        _workers.Select(w => new WorkerView(w.Key, w.Value.Worker.Path.Address.ToString(), w.Value.Slots, _state.HeldBy(w.Key).Count(), w.Value.UnitsDone))
            .OrderBy(w => w.NodeId, StringComparer.Ordinal).ToArray(),
        _state.Sweeps.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(_state.View).ToArray());

    private ILogger UnitLog(UnitTicket ticket, string nodeId) =>
        _log.ForContext("UnitId", ticket.UnitId).ForContext("Attempt", ticket.Attempt).ForContext("WorkerId", nodeId)
            .ForContext("SweepId", _state.Units.TryGetValue(ticket.UnitId, out var u) ? u.SweepId : null);

    private sealed class WorkerSeat(IActorRef worker, int slots, int unitsDone)
    {
        public IActorRef Worker { get; } = worker;

        public int Slots { get; } = slots;

        public int UnitsDone { get; set; } = unitsDone;
    }

    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>Decide and journal the queued worker commands.</summary>
    private sealed record Flush : INoSerializationVerificationNeeded
    {
        public static readonly Flush Instance = new();
    }

    /// <summary>What one worker command changes (null: nothing to journal) and what to do once that is in the journal.</summary>
    private readonly record struct Decision(ICoordinatorEvent? Event, Action Then);

    private sealed record ScanStore : INoSerializationVerificationNeeded
    {
        public static readonly ScanStore Instance = new();
    }

    private sealed record StoreScanned(IReadOnlyList<(string SweepId, IReadOnlyList<AcceptedUnit> Units)> Sweeps, IReadOnlySet<string> Closed) : INoSerializationVerificationNeeded;

    private sealed record StoreScanFailed(Exception Error) : INoSerializationVerificationNeeded;
}
