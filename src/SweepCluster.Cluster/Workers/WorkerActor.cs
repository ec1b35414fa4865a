using System.Diagnostics;
using Serilog;
using SweepCluster.Cluster.Actors;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Workers;

/// <summary>
/// A worker node: registers, claims batches of units for its free slots plus a few ahead, computes them on
/// its slot threads (never on this loop), hands results to the result writer and renews its leases. Claims
/// and renewals run off the loop too, so the loop only moves messages. Draining stops claiming, gives back
/// the units claimed ahead and finishes what is computing, so nothing already computed is lost.
/// </summary>
public sealed class WorkerActor : Actor<IWorkerMessage>
{
    private readonly ISweepStore _store;
    private readonly Func<SpectrumCache, IUnitComputer> _computerFactory;
    private readonly ResultWriterActor _writer;
    private readonly WorkerOptions _options;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;
    private readonly SpectrumCache _spectra = new();
    private readonly NodeMetrics _metrics;

    // Loop-owned state: touched only inside HandleAsync.
    // Every unit this node holds a lease on, computing or waiting for its commit: these leases are renewed.
    private readonly Dictionary<string, ClaimedUnit> _inFlight = [];

    // Leases found lost while their unit computes: reported once and no longer renewed; the unit is still held
    // until its (compared, not trusted) result is committed.
    private readonly HashSet<UnitLease> _lost = [];

    // The slot threads and their queue of claimed units: a slot that frees takes the next one itself, and the
    // claim that refills the queue runs while the slots compute. Created when the loop starts.
    private ComputeSlots? _slots;

    // Units claimed and not yet computed (queued or on a slot). A unit stops counting as soon as it is computed,
    // so the commit of one unit overlaps the computation of the next instead of sitting on the critical path.
    private int _held;
    private bool _draining;
    private bool _claimScheduled;

    // A claim runs off the loop, so a slot that frees meanwhile starts its next ready unit without waiting for it.
    private bool _claiming;

    // Set while idle and waiting for a work announcement; cancelled when a slot frees, so a worker whose own
    // units finish looks for work (or exits when idle) at once instead of at the end of the wait.
    private CancellationTokenSource? _idleWait;
    private CancellationTokenSource? _timers;
    private int _unitsDone;

    public WorkerActor(ISweepStore store, Func<SpectrumCache, IUnitComputer> computerFactory, ResultWriterActor writer, WorkerOptions options, ClusterSettings settings, ILogger log, NodeMetrics? metrics = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _computerFactory = computerFactory ?? throw new ArgumentNullException(nameof(computerFactory));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = (log ?? throw new ArgumentNullException(nameof(log))).ForContext("NodeId", options.NodeId);
        _metrics = metrics ?? new NodeMetrics();
    }

    /// <summary>Units this worker has committed.</summary>
    public int UnitsDone => Volatile.Read(ref _unitsDone);

    protected override async Task OnStartAsync(CancellationToken cancellationToken)
    {
        _timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _slots = ComputeSlots.Start(_options.Slots, "worker", Compute);
        await _store.RegisterNodeAsync(new NodeRegistration(_options.NodeId, Environment.MachineName, Environment.ProcessId, _options.Slots, "worker"), cancellationToken).ConfigureAwait(false);
        await _store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeStarted, _options.SweepId, null, _options.NodeId, null, $"slots={_options.Slots}"), cancellationToken).ConfigureAwait(false);
        _log.Information("Worker {NodeId} started with {Slots} slots on {Store}", _options.NodeId, _options.Slots, _store.Description);
        Tell(ClaimUnits.Instance);
        TellLater(RenewLeases.Instance, _settings.HeartbeatInterval, _timers.Token);
    }

    protected override async Task OnStopAsync()
    {
        if (_timers is not null)
        {
            await _timers.CancelAsync().ConfigureAwait(false);
            _timers.Dispose();
        }

        _idleWait?.Dispose();
        _slots?.Dispose();

        _writer.Tell(StopWriter.Instance);
        try
        {
            await _store.ReleaseNodeAsync(_options.NodeId, CancellationToken.None).ConfigureAwait(false);
            await _store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeStopped, _options.SweepId, null, _options.NodeId, null, $"units={UnitsDone}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The leases will expire on their own; another node picks the units up.
            _log.Warning(e, "Could not release the leases of {NodeId} at shutdown", _options.NodeId);
        }

        _log.Information("Worker {NodeId} stopped after {Units} units", _options.NodeId, UnitsDone);
    }

    protected override async Task HandleAsync(IWorkerMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ClaimUnits:
                _claimScheduled = false;
                _idleWait?.Dispose();
                _idleWait = null;
                StartClaim();
                break;
            case UnitsClaimed claimed:
                await OnClaimedAsync(claimed, cancellationToken).ConfigureAwait(false);
                break;
            case UnitComputed computed:
                // The claim first: the refill is on its way before this unit's results are serialised.
                _held--;
                AfterSlotFreed();
                _log.ForContext("SweepId", computed.Unit.SweepId).ForContext("UnitId", computed.Unit.Lease.UnitId).ForContext("Attempt", computed.Unit.Lease.Attempt)
                    .Debug("Computed unit {UnitId} ({Cells} cells) in {Seconds:0.000} s", computed.Unit.Lease.UnitId, computed.Unit.Cells.Count, computed.Seconds);
                var results = computed.Outcomes.Select(o => new StoredResult(
                    o.Outcome.CellId,
                    o.Outcome.Status,
                    o.Outcome.Metrics is null ? string.Empty : MetricsJson.Write(o.Outcome.Metrics),
                    o.Outcome.Message,
                    o.Seconds)).ToArray();
                _writer.Tell(new CommitUnit(computed.Unit, results, this));
                break;
            case UnitCommitted committed:
                Forget(committed.Unit.Lease);
                if (committed.Outcome is not null)
                {
                    Interlocked.Increment(ref _unitsDone);
                    _metrics.UnitCompleted(committed.Unit.Cells.Count, 0);
                }

                _metrics.SetInFlight(_inFlight.Count);

                AfterSlotFreed();
                break;
            case UnitCrashed crashed:
                _held--;
                _metrics.UnitCrashed();
                await ReleaseAsync(crashed, cancellationToken).ConfigureAwait(false);
                _metrics.SetInFlight(_inFlight.Count);
                AfterSlotFreed();
                break;
            case RenewLeases:
                StartRenewal();
                break;
            case LeasesRenewed renewed:
                OnRenewed(renewed);
                break;
            case DrainWorker:
                if (!_draining)
                {
                    _draining = true;
                    await ReturnUnstartedAsync(TakeBackQueued(), cancellationToken).ConfigureAwait(false);
                    _log.Information("Draining: no new claims; waiting for {InFlight} units in flight", _inFlight.Count);
                }

                AfterSlotFreed();
                break;
        }
    }

    private void AfterSlotFreed()
    {
        if (_draining)
        {
            StopWhenDrained();
            return;
        }

        if (_idleWait is not null)
        {
            // The wait's task tells ClaimUnits as soon as it sees the cancellation.
            _idleWait.Cancel();
            return;
        }

        ScheduleClaim(TimeSpan.Zero);
    }

    /// <summary>
    /// Stops renewing a lease. Only that lease: if this node has claimed the unit again since (its old lease had
    /// expired), the newer lease is still held.
    /// </summary>
    private void Forget(UnitLease lease)
    {
        if (_inFlight.TryGetValue(lease.UnitId, out var held) && held.Lease == lease)
        {
            _inFlight.Remove(lease.UnitId);
        }

        _lost.Remove(lease);
    }

    private void StopWhenDrained()
    {
        if (_inFlight.Count == 0 && !_claiming)
        {
            Stop();
        }
    }

    /// <summary>Units this node wants to hold: one per slot plus the ones claimed ahead.</summary>
    private int WantedUnits => _options.Slots + _settings.ClaimAhead - _held;

    /// <summary>
    /// Whether to claim now: at once when a slot would otherwise idle, else only when the ahead queue has room
    /// for a batch, so the refill is one transaction for several units instead of one per freed slot. The batch
    /// still lands while every slot is busy.
    /// </summary>
    private bool ClaimDue => _held < _options.Slots || WantedUnits >= Math.Max(1, Math.Min(_settings.ClaimAhead, _settings.ClaimBatch));

    private IReadOnlyList<ClaimedUnit> TakeBackQueued()
    {
        var queued = _slots?.TakeBackAll() ?? [];
        _held -= queued.Count;
        return queued;
    }

    /// <summary>Gives units that never started back at once, so a draining node does not sit on work others could do.</summary>
    private async Task ReturnUnstartedAsync(IReadOnlyList<ClaimedUnit> units, CancellationToken cancellationToken)
    {
        foreach (var unit in units)
        {
            Forget(unit.Lease);
            try
            {
                await _store.ReturnUnstartedAsync(unit.Lease, "worker draining", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.ForContext("SweepId", unit.SweepId).ForContext("UnitId", unit.Lease.UnitId).ForContext("Attempt", unit.Lease.Attempt)
                    .Warning(e, "Could not give back unit {UnitId}; its lease will expire", unit.Lease.UnitId);
            }
        }

        _metrics.SetInFlight(_inFlight.Count);
    }

    private void ScheduleClaim(TimeSpan delay)
    {
        if (_claimScheduled || _timers is null)
        {
            return;
        }

        _claimScheduled = true;
        if (delay == TimeSpan.Zero)
        {
            Tell(ClaimUnits.Instance);
        }
        else
        {
            TellLater(ClaimUnits.Instance, delay, _timers.Token);
        }
    }

    /// <summary>Claims on the thread pool; the units (or the error) come back as <see cref="UnitsClaimed"/>.</summary>
    private void StartClaim()
    {
        // ClaimDue implies at least one wanted unit.
        if (_claiming || _draining || !ClaimDue || _timers is null)
        {
            return;
        }

        _claiming = true;
        var stopping = _timers.Token;
        int batch = Math.Min(WantedUnits, _settings.ClaimBatch);
        _ = Task.Run(async () =>
        {
            IReadOnlyList<ClaimedUnit> claimed = [];
            try
            {
                claimed = await _store.ClaimAsync(_options.NodeId, batch, _settings.LeaseDuration, _options.SweepId, stopping).ConfigureAwait(false);
                await _spectra.PrefetchAsync(_store, claimed.SelectMany(u => u.Cells).Select(c => c.Config.Spectrum), stopping).ConfigureAwait(false);
                Tell(new UnitsClaimed(claimed, null));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: the store releases whatever this node still holds.
            }
            catch (Exception e)
            {
                // Units already claimed are kept: a spectrum that could not be fetched fails their computation,
                // which sends them back with backoff like any other failure.
                Tell(new UnitsClaimed(claimed, e));
            }
        }, CancellationToken.None);
    }

    private async Task OnClaimedAsync(UnitsClaimed message, CancellationToken cancellationToken)
    {
        _claiming = false;
        foreach (var unit in message.Units)
        {
            _log.ForContext("SweepId", unit.SweepId).ForContext("UnitId", unit.Lease.UnitId).ForContext("Attempt", unit.Lease.Attempt)
                .Debug("Claimed unit {UnitId} ({Kind}, {Cells} cells, attempt {Attempt})", unit.Lease.UnitId, unit.Kind, unit.Cells.Count, unit.Lease.Attempt);
            _inFlight.TryGetValue(unit.Lease.UnitId, out var earlier);
            _inFlight[unit.Lease.UnitId] = unit;
            if (_draining)
            {
                continue;
            }

            // A unit of this node's whose lease expired (renewals stalled) can come back in its own claim: the
            // new lease replaces the old one in the queue, so the unit is renewed and computed once.
            if (earlier is not null && _slots!.TryTakeBack(earlier.Lease))
            {
                _held--;
            }

            _held++;
            _slots!.Enqueue(unit);
        }

        if (_draining)
        {
            // The drain began while this claim was on its way: the units go straight back.
            await ReturnUnstartedAsync(message.Units, cancellationToken).ConfigureAwait(false);
            StopWhenDrained();
            return;
        }

        _metrics.SetInFlight(_inFlight.Count);

        if (message.Error is not null)
        {
            _log.Warning(message.Error, "Claiming failed; retrying in {Delay:0.0} s", _settings.PollInterval.TotalSeconds * 4);
            ScheduleClaim(_settings.PollInterval * 4);
        }
        else if (message.Units.Count == 0)
        {
            if (_options.ExitWhenIdle && _inFlight.Count == 0 && await NothingLeftAsync(cancellationToken).ConfigureAwait(false))
            {
                _log.Information("No pending or leased units remain; exiting as asked (--exit-when-idle)");
                _draining = true;
                Stop();
                return;
            }

            WaitForWork();
        }
        else if (ClaimDue)
        {
            ScheduleClaim(TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Idle: with a store that announces work (PostgreSQL NOTIFY) wait for the announcement, up to ten poll
    /// intervals; otherwise poll. A missed announcement only delays the next claim.
    /// </summary>
    private void WaitForWork()
    {
        if (_store is not IWorkNotifications notifications || _claimScheduled || _timers is null)
        {
            ScheduleClaim(_settings.PollInterval);
            return;
        }

        _claimScheduled = true;
        var stopping = _timers.Token;
        _idleWait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var woken = _idleWait.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await notifications.WaitForWorkAsync(_settings.PollInterval * 10, woken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // Woken early because a slot freed.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(_settings.PollInterval, stopping).ConfigureAwait(false);
            }

            Tell(ClaimUnits.Instance);
        }, stopping);
    }

    /// <summary>Renews every lease this node holds, on the thread pool; what was lost comes back as <see cref="LeasesRenewed"/>.</summary>
    private void StartRenewal()
    {
        if (_timers is null)
        {
            return;
        }

        var stopping = _timers.Token;
        var leases = _inFlight.Values.Select(u => u.Lease).Where(l => !_lost.Contains(l)).ToArray();
        _ = Task.Run(async () =>
        {
            try
            {
                var lost = (await _store.HeartbeatAsync(_options.NodeId, leases, _settings.LeaseDuration, stopping).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                Tell(new LeasesRenewed(leases.Where(l => lost.Contains(l.UnitId)).ToArray()));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: no more renewals.
            }
            catch (Exception e)
            {
                _log.Warning(e, "Heartbeat failed; leases may expire if the store stays unreachable");
                Tell(new LeasesRenewed([]));
            }
        }, CancellationToken.None);
    }

    private void OnRenewed(LeasesRenewed renewed)
    {
        foreach (var lease in renewed.Lost)
        {
            string unitId = lease.UnitId;
            _metrics.LeaseLost();

            // Matched by the whole lease: if this node has claimed the unit again since, the new lease is valid.
            if (_slots?.TryTakeBack(lease) == true)
            {
                _held--;
                // Not started yet: the new owner computes it, so this node simply forgets it.
                Forget(lease);
                _log.ForContext("UnitId", unitId).Warning("Lease of unit {UnitId} was lost before it started; dropped", unitId);
                continue;
            }

            _lost.Add(lease);
            _log.ForContext("UnitId", unitId).Warning("Lease of unit {UnitId} was lost (expired and taken over); its result will be compared, not trusted", unitId);
        }

        _metrics.SetInFlight(_inFlight.Count);
        if (_draining)
        {
            StopWhenDrained();
        }

        // The next renewal is timed from the end of this one, so two never overlap.
        if (_timers is not null && !_timers.IsCancellationRequested)
        {
            TellLater(RenewLeases.Instance, _settings.HeartbeatInterval, _timers.Token);
        }
    }

    private async Task<bool> NothingLeftAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sweeps = _options.SweepId is not null
                ? [_options.SweepId]
                : (await _store.ListSweepsAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Id).ToArray();
            foreach (string sweep in sweeps)
            {
                var progress = await _store.GetProgressAsync(sweep, cancellationToken).ConfigureAwait(false);
                if (!progress.IsComplete)
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning(e, "Could not read progress");
            return false;
        }
    }

    /// <summary>Runs on a slot thread: computes a unit and reports the outcome to the loop.</summary>
    private void Compute(ClaimedUnit unit)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var outcomes = _computerFactory(_spectra).Compute(unit.Cells);
            Tell(new UnitComputed(unit, outcomes, watch.Elapsed.TotalSeconds));
        }
        catch (Exception e)
        {
            Tell(new UnitCrashed(unit, e));
        }
    }

    private async Task ReleaseAsync(UnitCrashed crashed, CancellationToken cancellationToken)
    {
        var lease = crashed.Unit.Lease;
        Forget(lease);
        var log = _log.ForContext("SweepId", crashed.Unit.SweepId).ForContext("UnitId", lease.UnitId).ForContext("Attempt", lease.Attempt);
        var delay = _settings.RetryDelay(lease.Attempt);
        try
        {
            bool applied = await _store.ReleaseAsync(lease, crashed.Error.GetType().Name + ": " + crashed.Error.Message, delay, _settings.MaxAttempts, cancellationToken).ConfigureAwait(false);
            if (lease.Attempt >= _settings.MaxAttempts)
            {
                log.Error(crashed.Error, "Unit {UnitId} failed on attempt {Attempt}, the last allowed; marked failed ('sweep run --retry-failed' re-queues it)", lease.UnitId, lease.Attempt);
            }
            else
            {
                log.Warning(crashed.Error, "Unit {UnitId} failed on attempt {Attempt}; retry in {Delay:0.0} s{Note}", lease.UnitId, lease.Attempt, delay.TotalSeconds, applied ? string.Empty : " (lease already lost)");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Warning(e, "Could not release unit {UnitId}; its lease will expire", lease.UnitId);
        }
    }
}
