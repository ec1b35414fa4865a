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
/// A worker node: registers, claims batches of units for its free slots, computes them on the thread
/// pool (never on this loop), hands results to the result writer and renews its leases. Draining stops
/// claiming and finishes what is in flight, so nothing already computed is lost.
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

    // Units on a compute slot. A slot is free again as soon as its unit is computed, so the commit of one
    // unit overlaps the computation of the next instead of sitting on the slot's critical path.
    private int _computing;
    private bool _draining;
    private bool _claimScheduled;
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
                await ClaimAsync(cancellationToken).ConfigureAwait(false);
                break;
            case UnitComputed computed:
                _log.ForContext("SweepId", computed.Unit.SweepId).ForContext("UnitId", computed.Unit.Lease.UnitId).ForContext("Attempt", computed.Unit.Lease.Attempt)
                    .Debug("Computed unit {UnitId} ({Cells} cells) in {Seconds:0.000} s", computed.Unit.Lease.UnitId, computed.Unit.Cells.Count, computed.Seconds);
                var results = computed.Outcomes.Select(o => new StoredResult(
                    o.Outcome.CellId,
                    o.Outcome.Status,
                    o.Outcome.Metrics is null ? string.Empty : MetricsJson.Write(o.Outcome.Metrics),
                    o.Outcome.Message,
                    o.Seconds)).ToArray();
                _writer.Tell(new CommitUnit(computed.Unit, results, this));
                _computing--;
                AfterSlotFreed();
                break;
            case UnitCommitted committed:
                _inFlight.Remove(committed.Unit.Lease.UnitId);
                if (committed.Outcome is not null)
                {
                    Interlocked.Increment(ref _unitsDone);
                    _metrics.UnitCompleted(committed.Unit.Cells.Count, 0);
                }

                _metrics.SetInFlight(_inFlight.Count);

                AfterSlotFreed();
                break;
            case UnitCrashed crashed:
                _computing--;
                _metrics.UnitCrashed();
                await ReleaseAsync(crashed, cancellationToken).ConfigureAwait(false);
                _metrics.SetInFlight(_inFlight.Count);
                AfterSlotFreed();
                break;
            case RenewLeases:
                await RenewAsync(cancellationToken).ConfigureAwait(false);
                break;
            case DrainWorker:
                if (!_draining)
                {
                    _draining = true;
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
            if (_inFlight.Count == 0)
            {
                Stop();
            }

            return;
        }

        ScheduleClaim(TimeSpan.Zero);
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

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        int free = _options.Slots - _computing;
        if (_draining || free <= 0)
        {
            return;
        }

        IReadOnlyList<ClaimedUnit> claimed;
        try
        {
            claimed = await _store.ClaimAsync(_options.NodeId, Math.Min(free, _settings.ClaimBatch), _settings.LeaseDuration, _options.SweepId, cancellationToken).ConfigureAwait(false);
            await _spectra.PrefetchAsync(_store, claimed.SelectMany(u => u.Cells).Select(c => c.Config.Spectrum), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning(e, "Claiming failed; retrying in {Delay:0.0} s", _settings.PollInterval.TotalSeconds * 4);
            ScheduleClaim(_settings.PollInterval * 4);
            return;
        }

        foreach (var unit in claimed)
        {
            _inFlight[unit.Lease.UnitId] = unit;
            _computing++;
            _log.ForContext("SweepId", unit.SweepId).ForContext("UnitId", unit.Lease.UnitId).ForContext("Attempt", unit.Lease.Attempt)
                .Debug("Claimed unit {UnitId} ({Kind}, {Cells} cells, attempt {Attempt})", unit.Lease.UnitId, unit.Kind, unit.Cells.Count, unit.Lease.Attempt);
            StartCompute(unit);
        }

        _metrics.SetInFlight(_inFlight.Count);

        if (claimed.Count == 0)
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
        else if (_computing < _options.Slots)
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
        var token = _timers.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await notifications.WaitForWorkAsync(_settings.PollInterval * 10, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(_settings.PollInterval, token).ConfigureAwait(false);
            }

            Tell(ClaimUnits.Instance);
        }, token);
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

    private void StartCompute(ClaimedUnit unit)
    {
        var computer = _computerFactory(_spectra);
        _ = Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var outcomes = computer.Compute(unit.Cells);
                Tell(new UnitComputed(unit, outcomes, watch.Elapsed.TotalSeconds));
            }
            catch (Exception e)
            {
                Tell(new UnitCrashed(unit, e));
            }
        });
    }

    private async Task ReleaseAsync(UnitCrashed crashed, CancellationToken cancellationToken)
    {
        var lease = crashed.Unit.Lease;
        _inFlight.Remove(lease.UnitId);
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

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            var leases = _inFlight.Values.Select(u => u.Lease).ToArray();
            var lost = await _store.HeartbeatAsync(_options.NodeId, leases, _settings.LeaseDuration, cancellationToken).ConfigureAwait(false);
            foreach (string unitId in lost)
            {
                _metrics.LeaseLost();
                _log.ForContext("UnitId", unitId).Warning("Lease of unit {UnitId} was lost (expired and taken over); its result will be compared, not trusted", unitId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning(e, "Heartbeat failed; leases may expire if the store stays unreachable");
        }

        if (_timers is not null && !_timers.IsCancellationRequested)
        {
            TellLater(RenewLeases.Instance, _settings.HeartbeatInterval, _timers.Token);
        }
    }
}
