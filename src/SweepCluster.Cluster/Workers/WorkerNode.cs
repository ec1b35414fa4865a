using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Polly;
using Serilog;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Workers;

/// <summary>
/// A worker: registers with the coordinator (through the singleton proxy), asks for as many units as it has
/// free slots plus a small claim-ahead, loads their cells from the store, computes them on its slot threads
/// (never on this actor's thread), commits the results of finished units in batches (one store transaction each)
/// and then reports the completions. Every report is sent again until the coordinator acknowledges it: messages
/// to a singleton that is moving are dropped, and the attempt number makes a repeat harmless. Draining gives back
/// the units not yet started and finishes the others.
/// </summary>
public sealed class WorkerNode : ReceiveActor, IWithTimers
{
    private const string TickTimer = "tick";
    private const string HeartbeatTimer = "heartbeat";
    // Store calls a worker retries before it gives a unit back as crashed: with the backoff doubling, they ride out
    // a database restart or a row lock held by a frozen process until the server ends that session.
    private const int StoreTries = 6;

    private readonly ISweepStore _store;
    private readonly Func<SpectrumCache, IUnitComputer> _computerFactory;
    private readonly IActorRef _coordinator;
    private readonly WorkerOptions _options;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;
    private readonly NodeMetrics _metrics;
    private readonly WorkerLifecycle _lifecycle;
    private readonly SpectrumCache _spectra = new();

    // Every unit this worker holds, from hand-out until the coordinator acknowledged its end.
    private readonly Dictionary<string, UnitAssignment> _held = new(StringComparer.Ordinal);

    // When each held unit arrived, read by the slot thread that starts it (the queue wait); hence concurrent.
    private readonly ConcurrentDictionary<string, long> _handedOutAt = new(StringComparer.Ordinal);

    // Reports sent and not yet acknowledged: sent again at every tick.
    private readonly Dictionary<string, UnitTicket> _doneUnacked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReportUnitCrashed> _crashUnacked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitTicket> _returnUnacked = new(StringComparer.Ordinal);

    private ComputeSlots? _slots;
    private readonly ClaimAhead _ahead;

    // Units handed out and not yet computed (loading, queued or on a slot): what the free-slot count subtracts.
    private int _uncomputed;
    private long _requestId;
    private long _reportsResentAt;
    private (long Id, long SentAt)? _outstanding;
    private string? _incarnation;
    private bool _draining;
    private bool _checkingStore;

    // A completion report is on its way and not yet acknowledged: units committed meanwhile wait and go together
    // in the next report (sent on the acknowledgement, or at the tick if it never comes), so a busy worker costs the
    // coordinator one journal write per round trip instead of one per unit.
    private bool _doneReportInFlight;
    private int _unitsDone;

    // The same for the store: one commit is in flight at a time, and units computed meanwhile wait here and go
    // together in the next one, so a busy worker pays one store transaction per commit round trip instead of one
    // per unit (the transaction, not the rows, is what costs both sides CPU). An idle worker commits at once.
    private readonly List<UnitCommit> _toCommit = [];
    private bool _commitInFlight;
    private readonly NodeFault? _fault;
    private readonly ResiliencePipeline _storeRetries;

    public WorkerNode(ISweepStore store, Func<SpectrumCache, IUnitComputer> computerFactory, IActorRef coordinator, WorkerOptions options, ClusterSettings settings, ILogger log, NodeMetrics metrics, WorkerLifecycle lifecycle, NodeFault? fault = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _computerFactory = computerFactory ?? throw new ArgumentNullException(nameof(computerFactory));
        _coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = (log ?? throw new ArgumentNullException(nameof(log))).ForContext("NodeId", options.NodeId);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _lifecycle = lifecycle ?? throw new ArgumentNullException(nameof(lifecycle));
        _fault = fault;
        _storeRetries = StoreRetryPipeline(settings, _log);
        _ahead = new ClaimAhead(options.Slots, settings.ClaimAhead, settings.ClaimAheadTime);

        Receive<WorkerRegistered>(OnRegistered);
        Receive<WorkAvailable>(_ => RequestIfDue());
        Receive<UnitsHandedOutReply>(OnHandedOut);
        Receive<UnitsLoaded>(OnLoaded);
        Receive<UnitComputed>(OnComputed);
        Receive<UnitCrashed>(OnCrashed);
        Receive<UnitsCommitted>(OnCommitted);
        Receive<UnitsDoneAcknowledged>(OnDoneAcknowledged);
        Receive<UnitCrashAcknowledged>(ack => Settle([ack.Unit.UnitId], _crashUnacked));
        Receive<UnitsReturnedAcknowledged>(ack => Settle(ack.Units.Select(t => t.UnitId), _returnUnacked));
        Receive<Tick>(_ => OnTick());
        Receive<SendHeartbeat>(_ => _coordinator.Tell(new WorkerHeartbeat(_options.NodeId, _held.Values.Select(a => a.Ticket).ToArray(), _unitsDone)));
        Receive<DrainWorker>(_ => OnDrain());
        Receive<ReturnRecorded>(OnReturnRecorded);
        Receive<StoreChecked>(check =>
        {
            _checkingStore = false;
            if (check.NothingLeft && _held.Count == 0)
            {
                if (_lifecycle.Idle())
                {
                    _log.Information("No coordinator answers and the store has no unit left; exiting as asked (--exit-when-idle)");
                }
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISweepStore store, Func<SpectrumCache, IUnitComputer> computerFactory, IActorRef coordinator, WorkerOptions options, ClusterSettings settings, ILogger log, NodeMetrics metrics, WorkerLifecycle lifecycle, NodeFault? fault = null) =>
        Akka.Actor.Props.Create(() => new WorkerNode(store, computerFactory, coordinator, options, settings, log, metrics, lifecycle, fault));

    protected override void PreStart()
    {
        var self = Self;
        _slots = ComputeSlots.Start(_options.Slots, "worker", unit => Compute(unit, self));
        // Ticks well inside the reply timeout: a request or report lost with a moving singleton is sent again soon
        // after its timeout, not up to a whole timeout later.
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, TimeSpan.Zero, _settings.ReplyTimeout / 4);
        Timers.StartPeriodicTimer(HeartbeatTimer, SendHeartbeat.Instance, _settings.HeartbeatInterval);
        _log.Information("Worker {NodeId} started with {Slots} slots on {Store}", _options.NodeId, _options.Slots, _store.Description);
    }

    protected override void PostStop()
    {
        _slots?.Dispose();
        _lifecycle.Stopped(_unitsDone);
        _log.Information("Worker {NodeId} stopped after {Units} units", _options.NodeId, _unitsDone);
    }

    /// <summary>Units wanted now: a free slot each, plus the claim-ahead.</summary>
    private int Wanted => _options.Slots + _ahead.Units - _uncomputed;

    /// <summary>The most units one request asks for: the configured batch, or the whole claim-ahead of cheap units.</summary>
    private int Batch => Math.Max(_settings.ClaimBatch, _ahead.Units);

    /// <summary>
    /// While every slot is busy, a request waits until this many units are wanted, so that the claim-ahead is refilled
    /// in one round trip rather than one per freed slot; a grown claim-ahead is refilled when half of it is used up.
    /// </summary>
    private int DueAt => Math.Max(1, _ahead.Grown ? _ahead.Units / 2 : Math.Min(_ahead.Units, _settings.ClaimBatch));

    private void OnRegistered(WorkerRegistered registered)
    {
        if (_incarnation == registered.Incarnation)
        {
            return;
        }

        bool failover = _incarnation is not null;
        _incarnation = registered.Incarnation;
        _lifecycle.Registered = true;
        _log.Information(
            failover ? "Registered with a new coordinator incarnation {Incarnation} (the singleton moved); reports still open are sent again" : "Registered with coordinator {Incarnation}",
            registered.Incarnation);

        // A request made to the previous incarnation may have died with it.
        _outstanding = null;
        ResendReports();
        RequestIfDue();
    }

    private void RequestIfDue()
    {
        if (_draining || _incarnation is null || _outstanding is not null || Wanted <= 0)
        {
            return;
        }

        // Below the slot count a slot would idle: ask at once.
        if (_uncomputed >= _options.Slots && Wanted < DueAt)
        {
            return;
        }

        _requestId++;
        _outstanding = (_requestId, Stopwatch.GetTimestamp());
        _coordinator.Tell(new RequestUnits(_options.NodeId, _requestId, Math.Min(Wanted, Batch), _options.SweepId));
    }

    private void OnHandedOut(UnitsHandedOutReply reply)
    {
        if (_outstanding is { } outstanding && outstanding.Id == reply.RequestId)
        {
            _metrics.HandOutAnswered(Stopwatch.GetElapsedTime(outstanding.SentAt), reply.Units.Count);
            _outstanding = null;
        }

        var fresh = reply.Units.Where(u => !_held.ContainsKey(u.UnitId)).ToArray();
        foreach (var unit in fresh)
        {
            _held[unit.UnitId] = unit;
            _handedOutAt[unit.UnitId] = Stopwatch.GetTimestamp();
            _uncomputed++;
            UnitLog(unit).Debug("Handed unit {UnitId} (attempt {Attempt}, cost {Cost:G3})", unit.UnitId, unit.Attempt, unit.Cost);
        }

        _metrics.SetHeld(_held.Count);
        if (fresh.Length > 0)
        {
            var store = _store;
            var spectra = _spectra;
            LoadAsync(store, spectra, _storeRetries, _log, _options.NodeId, fresh).PipeTo(Self);
        }

        if (reply.Units.Count == 0 && _held.Count == 0 && reply.UnitsUnsettled == 0 && _options.ExitWhenIdle)
        {
            if (_lifecycle.Idle())
            {
                _log.Information("No unit is open or held anywhere; exiting as asked (--exit-when-idle)");
            }

            return;
        }

        if (reply.Units.Count > 0)
        {
            RequestIfDue();
        }
    }

    /// <summary>
    /// Off the actor: the units' cells (and their file spectra), retried with backoff while the store is away, or
    /// the error that prevented loading them. Recording the start is best effort: it only informs `status`.
    /// </summary>
    private static async Task<UnitsLoaded> LoadAsync(ISweepStore store, SpectrumCache spectra, ResiliencePipeline retries, ILogger log, string nodeId, UnitAssignment[] units)
    {
        try
        {
            var loaded = await retries.RunAsync(
                $"Loading {units.Length} units",
                (store, spectra, units),
                static async (s, ct) =>
                {
                    var loaded = await s.store.LoadUnitsAsync(s.units.Select(u => u.UnitId).ToArray(), ct).ConfigureAwait(false);
                    await s.spectra.PrefetchAsync(s.store, loaded.SelectMany(u => u.Cells).Select(c => c.Config.Spectrum), ct).ConfigureAwait(false);
                    return loaded;
                }).ConfigureAwait(false);
            var attempts = units.ToDictionary(u => u.UnitId, u => u.Attempt, StringComparer.Ordinal);
            try
            {
                await store.MarkUnitsStartedAsync(loaded.Where(u => !u.Done).Select(u => new UnitLease(u.UnitId, nodeId, attempts[u.UnitId])).ToArray()).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                log.Debug(e, "Could not record the start of {Units} units in the store; computing them anyway", loaded.Count);
            }

            return new UnitsLoaded(units, loaded, null);
        }
        catch (Exception e)
        {
            return new UnitsLoaded(units, [], e);
        }
    }

    private void OnLoaded(UnitsLoaded loaded)
    {
        var byId = loaded.Stored.ToDictionary(u => u.UnitId, StringComparer.Ordinal);
        foreach (var unit in loaded.Units)
        {
            if (!_held.ContainsKey(unit.UnitId))
            {
                continue;
            }

            if (!byId.TryGetValue(unit.UnitId, out var stored))
            {
                string reason = loaded.Error is null ? "the unit is not in the store (or its cells cannot be read)" : $"loading the unit failed: {loaded.Error.GetType().Name}: {loaded.Error.Message}";
                _uncomputed--;
                ReportCrash(unit, reason);
            }
            else if (stored.Done)
            {
                // Computed before (a completion report lost in a failover, or a store from an earlier run).
                _uncomputed--;
                ReportDone(unit);
            }
            else if (_draining)
            {
                _uncomputed--;
                ReturnUnstarted([unit]);
            }
            else
            {
                _slots!.Enqueue(new ClaimedUnit(new UnitLease(unit.UnitId, _options.NodeId, unit.Attempt), unit.SweepId, stored.Kind, stored.Cells, unit.Cost));
            }
        }

        RequestIfDue();
        CheckDrained();
    }

    /// <summary>Runs on a slot thread: the computation, then a message to the actor. Never touches actor state.</summary>
    private void Compute(ClaimedUnit unit, IActorRef self)
    {
        var watch = Stopwatch.StartNew();
        var wait = _handedOutAt.TryRemove(unit.Lease.UnitId, out long handedOutAt) ? Stopwatch.GetElapsedTime(handedOutAt) : TimeSpan.Zero;
        _metrics.ComputeStarted(unit.SweepId, wait);
        try
        {
            var outcomes = _computerFactory(_spectra).Compute(unit.Cells);
            _metrics.ComputeEnded(unit.SweepId, watch.Elapsed);
            self.Tell(new UnitComputed(unit, outcomes, watch.Elapsed.TotalSeconds));
        }
        catch (Exception e)
        {
            _metrics.ComputeEnded(unit.SweepId, watch.Elapsed);
            self.Tell(new UnitCrashed(unit, e));
        }
    }

    private void OnComputed(UnitComputed computed)
    {
        // The slot is free: ask for more before this unit's results are even serialised.
        _uncomputed--;
        _ahead.Computed(computed.Seconds);
        RequestIfDue();
        var unit = computed.Unit;
        UnitLog(unit).Debug("Computed unit {UnitId} ({Cells} cells) in {Seconds:0.000} s", unit.Lease.UnitId, unit.Cells.Count, computed.Seconds);
        var results = computed.Outcomes.Select(o => new StoredResult(
            o.Outcome.CellId,
            o.Outcome.Status,
            o.Outcome.Metrics is null ? string.Empty : MetricsJson.Write(o.Outcome.Metrics),
            o.Outcome.Message,
            o.Seconds)).ToArray();
        int failedCells = computed.Outcomes.Count(o => o.Outcome.Status != ResultStatus.Ok);
        _toCommit.Add(new UnitCommit(unit, results, failedCells));
        CommitIfIdle();
    }

    /// <summary>Starts a commit of every unit waiting for one, unless a commit is in flight (its end starts the next).</summary>
    private void CommitIfIdle()
    {
        if (_commitInFlight || _toCommit.Count == 0)
        {
            return;
        }

        UnitCommit[] batch = [.. _toCommit];
        _toCommit.Clear();
        _commitInFlight = true;
        CommitAsync(_store, _storeRetries, _log, batch).PipeTo(
            Self,
            failure: e => new UnitsCommitted(batch.Select(c => new UnitCommitted(c.Unit, null, c.FailedCells, e)).ToArray()));
    }

    /// <summary>
    /// Off the actor: one transaction for the batch, retried with backoff while the store is away. Never throws: a unit
    /// that could not be stored comes back with the error.
    /// </summary>
    private static async Task<UnitsCommitted> CommitAsync(ISweepStore store, ResiliencePipeline retries, ILogger log, UnitCommit[] batch)
    {
        try
        {
            // Checkpoint: once this transaction commits, the units' results survive any crash.
            var outcomes = await retries.RunAsync(
                $"Storing {batch.Length} units ({string.Join(", ", batch.Select(c => c.Unit.Lease.UnitId))})",
                (store, batch),
                static (s, ct) => s.store.CommitUnitsAsync(s.batch.Select(c => (c.Unit.Lease, (IReadOnlyList<StoredResult>)c.Results)).ToArray(), ct)).ConfigureAwait(false);
            return new UnitsCommitted(batch.Select((c, i) => new UnitCommitted(c.Unit, outcomes[i], c.FailedCells, null)).ToArray());
        }
        catch (Exception e) when (batch.Length > 1 && IsRefusal(e))
        {
            // The store refuses a whole batch for one unit's sake (unknown to it, or a result for a cell not its
            // own); alone, every other unit is stored, and only the refused one is given back as crashed.
            log.Warning("The store refused a batch of {Units} units ({Reason}); storing them one by one", batch.Length, e.Message);
            var alone = new List<UnitCommitted>(batch.Length);
            foreach (var unit in batch)
            {
                alone.AddRange((await CommitAsync(store, retries, log, [unit]).ConfigureAwait(false)).Units);
            }

            return new UnitsCommitted(alone);
        }
        catch (Exception e)
        {
            // A full disk included: waiting does not free it; the node reports it and ends (OnCommitted).
            return new UnitsCommitted(batch.Select(c => new UnitCommitted(c.Unit, null, c.FailedCells, e)).ToArray());
        }
    }

    /// <summary>
    /// The worker's store retries: <see cref="StoreTries"/> tries with jittered backoff for a store that is away, none
    /// for an answer that waiting does not change (a refusal, a full disk).
    /// </summary>
    private static ResiliencePipeline StoreRetryPipeline(ClusterSettings settings, ILogger log) => StoreRetries.Create(
        StoreTries,
        settings.RetryBackoff,
        settings.RetryBackoffCap,
        e => !IsRefusal(e) && !StoreFull.Is(e),
        retry =>
        {
            log.Warning("{Operation} failed (try {Try} of {Tries}): {Reason}; retrying in {Delay:0.0} s", retry.Operation, retry.Try, retry.Tries, retry.Reason, retry.Delay.TotalSeconds);
            log.Debug(retry.Error, "{Operation} failed (try {Try} of {Tries})", retry.Operation, retry.Try, retry.Tries);
        });

    /// <summary>The store's answer to a batch it will never accept (see <see cref="ISweepStore.CommitUnitsAsync"/>), as opposed to a store that is away.</summary>
    private static bool IsRefusal(Exception e) => e is ArgumentException or (InvalidOperationException and not ObjectDisposedException);

    private void OnCommitted(UnitsCommitted committed)
    {
        _commitInFlight = false;
        CommitIfIdle();
        foreach (var unit in committed.Units)
        {
            OnCommitted(unit);
        }
    }

    private void OnCommitted(UnitCommitted committed)
    {
        if (!_held.TryGetValue(committed.Unit.Lease.UnitId, out var unit))
        {
            return;
        }

        if (committed.Outcome is null && StoreFull.Is(committed.Error))
        {
            // Not the unit's fault, and no other node could store it either: the unit stays held until the node
            // ends, then goes back to the others (or to the next run) when there is space again.
            if (_fault?.Report(StoreFull.Advice) ?? true)
            {
                UnitLog(unit).Error("Storing unit {UnitId} failed: {Reason} ({Detail})", unit.UnitId, StoreFull.Advice, committed.Error!.GetBaseException().Message);
            }

            return;
        }

        if (committed.Outcome is null)
        {
            ReportCrash(unit, $"storing the results failed: {committed.Error?.GetType().Name}: {committed.Error?.Message}");
            return;
        }

        if (committed.Outcome.Mismatches > 0)
        {
            UnitLog(unit).Error("Unit {UnitId} gave {Mismatches} results that differ from the stored ones (recorded as non-determinism)", unit.UnitId, committed.Outcome.Mismatches);
        }

        _unitsDone++;
        _lifecycle.UnitsDone = _unitsDone;
        _metrics.UnitCompleted(unit.SweepId, committed.Unit.Cells.Count, committed.FailedCells);
        ReportDone(unit);
    }

    private void OnCrashed(UnitCrashed crashed)
    {
        _uncomputed--;
        RequestIfDue();
        if (_held.TryGetValue(crashed.Unit.Lease.UnitId, out var unit))
        {
            UnitLog(unit).Warning(crashed.Error, "Computing unit {UnitId} threw on attempt {Attempt}", unit.UnitId, unit.Attempt);
            ReportCrash(unit, crashed.Error.GetType().Name + ": " + crashed.Error.Message);
        }
    }

    private void ReportDone(UnitAssignment unit)
    {
        _doneUnacked[unit.UnitId] = unit.Ticket;
        if (!_doneReportInFlight)
        {
            SendDoneReport();
        }
    }

    /// <summary>One report of every completion not yet acknowledged (repeats are harmless: the coordinator fences by attempt).</summary>
    private void SendDoneReport()
    {
        if (_doneUnacked.Count > 0)
        {
            _coordinator.Tell(new ReportUnitsDone(_options.NodeId, _doneUnacked.Values.ToArray()));
            _doneReportInFlight = true;
        }
    }

    private void OnDoneAcknowledged(UnitsDoneAcknowledged ack)
    {
        _metrics.UnitsAcknowledged(Settle(ack.Units.Select(t => t.UnitId), _doneUnacked));
        _doneReportInFlight = false;
        SendDoneReport();
    }

    private void ReportCrash(UnitAssignment unit, string reason)
    {
        _metrics.UnitCrashed(unit.SweepId);
        var report = new ReportUnitCrashed(_options.NodeId, unit.Ticket, reason);
        _crashUnacked[unit.UnitId] = report;
        _coordinator.Tell(report);
    }

    private void ReturnUnstarted(UnitAssignment[] units)
    {
        if (units.Length == 0)
        {
            return;
        }

        // The store first, so that a worker that exits right after the coordinator's acknowledgement does not leave
        // them shown as in flight; the write is fenced by owner and attempt, and a failure only delays that view.
        var handOuts = units.Select(u => new UnitLease(u.UnitId, _options.NodeId, u.Attempt)).ToArray();
        var log = _log;
        _store.MarkUnitsReturnedAsync(handOuts).ContinueWith(
            t =>
            {
                if (t.Exception is { } e)
                {
                    log.Debug(e.GetBaseException(), "Could not record in the store that {Units} units were given back", handOuts.Length);
                }

                return new ReturnRecorded(units);
            },
            TaskScheduler.Default).PipeTo(Self);
    }

    private void OnReturnRecorded(ReturnRecorded recorded)
    {
        foreach (var unit in recorded.Units)
        {
            _returnUnacked[unit.UnitId] = unit.Ticket;
        }

        _coordinator.Tell(new ReturnUnits(_options.NodeId, recorded.Units.Select(u => u.Ticket).ToArray(), "worker draining"));
    }

    /// <summary>An acknowledged report ends the unit here. Returns how many units it settled (repeated acknowledgements settle none).</summary>
    private int Settle<T>(IEnumerable<string> unitIds, Dictionary<string, T> unacked)
    {
        int settled = 0;
        foreach (string id in unitIds)
        {
            if (unacked.Remove(id))
            {
                _held.Remove(id);
                _handedOutAt.TryRemove(id, out _);
                settled++;
            }
        }

        _metrics.SetHeld(_held.Count);
        CheckDrained();
        return settled;
    }

    private void OnTick()
    {
        if (_incarnation is null)
        {
            _coordinator.Tell(new RegisterWorker(_options.NodeId, Self, _options.Slots));
            return;
        }

        if (_outstanding is { } waiting && _options.ExitWhenIdle && _held.Count == 0 && !_checkingStore
            && Stopwatch.GetElapsedTime(waiting.SentAt) > 3 * _settings.ReplyTimeout)
        {
            // No coordinator answers (it may have finished the sweep and exited): the store says whether to go on.
            _checkingStore = true;
            StoreWork.NothingLeftAsync(_store, _options.SweepId).PipeTo(Self, success: nothing => new StoreChecked(nothing), failure: _ => new StoreChecked(false));
        }

        if (_outstanding is { } outstanding && Stopwatch.GetElapsedTime(outstanding.SentAt) > _settings.ReplyTimeout)
        {
            // The request or its reply was dropped (the singleton moved): ask again under the same id, so that
            // units already handed out for it come back instead of new ones.
            _coordinator.Tell(new RequestUnits(_options.NodeId, outstanding.Id, Math.Max(1, Math.Min(Wanted, Batch)), _options.SweepId));
            _outstanding = (outstanding.Id, Stopwatch.GetTimestamp());
        }
        else if (_outstanding is null && !_draining && _uncomputed < _options.Slots)
        {
            // A missed WorkAvailable only delays.
            RequestIfDue();
        }

        ResendReports();
    }

    private void ResendReports()
    {
        // Ticks come faster than the reply timeout: resend only what has had a whole timeout to be acknowledged.
        if (Stopwatch.GetElapsedTime(_reportsResentAt) < _settings.ReplyTimeout)
        {
            return;
        }

        _reportsResentAt = Stopwatch.GetTimestamp();
        SendDoneReport();
        foreach (var report in _crashUnacked.Values)
        {
            _coordinator.Tell(report);
        }

        if (_returnUnacked.Count > 0)
        {
            _coordinator.Tell(new ReturnUnits(_options.NodeId, _returnUnacked.Values.ToArray(), "worker draining"));
        }
    }

    private void OnDrain()
    {
        if (!_draining)
        {
            _draining = true;
            var queued = _slots?.TakeBackAll() ?? [];
            _uncomputed -= queued.Count;
            ReturnUnstarted(queued.Select(u => _held[u.Lease.UnitId]).ToArray());
            _log.Information("Draining: no new requests; {Returned} unstarted units given back, waiting for {Held} units in flight", queued.Count, _held.Count - queued.Count);
        }

        CheckDrained();
    }

    private void CheckDrained()
    {
        if (_draining && _held.Count == 0)
        {
            _lifecycle.Drained();
        }
    }

    private ILogger UnitLog(UnitAssignment unit) =>
        _log.ForContext("SweepId", unit.SweepId).ForContext("UnitId", unit.UnitId).ForContext("Attempt", unit.Attempt);

    private ILogger UnitLog(ClaimedUnit unit) =>
        _log.ForContext("SweepId", unit.SweepId).ForContext("UnitId", unit.Lease.UnitId).ForContext("Attempt", unit.Lease.Attempt);

    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private sealed record SendHeartbeat : INoSerializationVerificationNeeded
    {
        public static readonly SendHeartbeat Instance = new();
    }

    private sealed record StoreChecked(bool NothingLeft) : INoSerializationVerificationNeeded;

    private sealed record ReturnRecorded(UnitAssignment[] Units) : INoSerializationVerificationNeeded;

    private sealed record UnitsLoaded(IReadOnlyList<UnitAssignment> Units, IReadOnlyList<StoredUnit> Stored, Exception? Error) : INoSerializationVerificationNeeded;

    /// <summary>A computed unit waiting for its commit.</summary>
    private sealed record UnitCommit(ClaimedUnit Unit, StoredResult[] Results, int FailedCells);

    private sealed record UnitCommitted(ClaimedUnit Unit, CompletionOutcome? Outcome, int FailedCells, Exception? Error);

    private sealed record UnitsCommitted(IReadOnlyList<UnitCommitted> Units) : INoSerializationVerificationNeeded;
}
