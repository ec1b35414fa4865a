using Serilog;
using SweepCluster.Cluster.Actors;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// The progress monitor of `run` and `coordinator`: reads the store, logs throughput and ETA, feeds the progress
/// bar and /metrics, and writes the exports once every unit of a sweep is done or failed. It holds no state the
/// store does not have; the coordinator singleton (<see cref="SweepCoordinator"/>) hands out the work. It still runs
/// on the first version's <c>Channel&lt;T&gt;</c> loop, which retires with the SQL lease engine.
/// </summary>
public sealed class CoordinatorActor : Actor<ICoordinatorMessage>
{
    private readonly ISweepStore _store;
    private readonly IReadOnlyList<string> _sweepIds;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;
    private readonly IProgressObserver? _observer;
    private readonly Func<string, SweepProgress, CancellationToken, Task>? _onFinished;
    private readonly bool _untilDone;
    private readonly NodeMetrics? _metrics;

    // Loop-owned state.
    private readonly Dictionary<string, ThroughputEstimator> _throughput = [];
    private readonly HashSet<string> _finished = [];
    private int _lastExpiredReported = -1;
    private CancellationTokenSource? _timers;

    /// <param name="store">The store.</param>
    /// <param name="sweepIds">The sweeps to watch.</param>
    /// <param name="settings">Protocol settings.</param>
    /// <param name="log">Logger.</param>
    /// <param name="observer">Receives every progress snapshot.</param>
    /// <param name="onFinished">Runs once per sweep when it completes (exports, reports).</param>
    /// <param name="untilDone">Stop once every watched sweep is complete.</param>
    public CoordinatorActor(ISweepStore store, IReadOnlyList<string> sweepIds, ClusterSettings settings, ILogger log, IProgressObserver? observer, Func<string, SweepProgress, CancellationToken, Task>? onFinished, bool untilDone, NodeMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sweepIds = sweepIds ?? throw new ArgumentNullException(nameof(sweepIds));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = (log ?? throw new ArgumentNullException(nameof(log))).ForContext("NodeId", $"coordinator-{Environment.MachineName}-{Environment.ProcessId}");
        _observer = observer;
        _onFinished = onFinished;
        _untilDone = untilDone;
    }

    /// <summary>Units that failed for good in the watched sweeps at the last look.</summary>
    public int FailedUnits { get; private set; }

    protected override Task OnStartAsync(CancellationToken cancellationToken)
    {
        _timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Tell(AggregateProgress.Instance);
        return Task.CompletedTask;
    }

    protected override async Task OnStopAsync()
    {
        if (_timers is not null)
        {
            await _timers.CancelAsync().ConfigureAwait(false);
            _timers.Dispose();
        }
    }

    protected override async Task HandleAsync(ICoordinatorMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case AggregateProgress:
                await AggregateAsync(cancellationToken).ConfigureAwait(false);
                if (_untilDone && _finished.Count == _sweepIds.Count)
                {
                    Stop();
                }
                else if (_timers is not null && !_timers.IsCancellationRequested)
                {
                    TellLater(AggregateProgress.Instance, _settings.ProgressInterval, _timers.Token);
                }

                break;
            case StopCoordinator:
                Stop();
                break;
        }
    }

    private async Task AggregateAsync(CancellationToken cancellationToken)
    {
        try
        {
            int failed = 0, cellsDone = 0, cellsTotal = 0, expired = 0;
            foreach (string sweepId in _sweepIds)
            {
                var progress = await _store.GetProgressAsync(sweepId, cancellationToken).ConfigureAwait(false);
                failed += progress.UnitsFailed;
                cellsDone += progress.CellsDone;
                cellsTotal += progress.CellsTotal;
                expired += progress.LeasesExpired;
                if (_finished.Contains(sweepId))
                {
                    continue;
                }

                var estimator = _throughput.TryGetValue(sweepId, out var e) ? e : _throughput[sweepId] = new ThroughputEstimator();
                estimator.Add(progress.DatabaseTime, progress.CellsDone);
                var snapshot = new ProgressSnapshot(progress, estimator.CellsPerSecond, estimator.EtaSeconds(progress.CellsTotal - progress.CellsDone));
                _observer?.OnProgress(snapshot);
                var log = _log.ForContext("SweepId", sweepId);
                log.Information(
                    "Sweep {SweepId}: {UnitsDone}/{UnitsTotal} units done, {UnitsLeased} in flight, {UnitsFailed} failed; {CellsDone}/{CellsTotal} cells; {CellsPerSecond:0.0} cells/s; ETA {Eta}",
                    sweepId, progress.UnitsDone, progress.UnitsTotal, progress.UnitsLeased, progress.UnitsFailed, progress.CellsDone, progress.CellsTotal, snapshot.CellsPerSecond, FormatEta(snapshot.EtaSeconds));
                if (progress.LeasesExpired > 0 && progress.LeasesExpired != _lastExpiredReported)
                {
                    log.Warning("Sweep {SweepId}: {LeasesExpired} leases have expired (a worker died or stalled); their units will be claimed again", sweepId, progress.LeasesExpired);
                }

                _lastExpiredReported = progress.LeasesExpired;
                if (progress.IsComplete)
                {
                    await FinishAsync(sweepId, progress, cancellationToken).ConfigureAwait(false);
                }
            }

            FailedUnits = failed;
            _metrics?.SetSweepProgress(cellsDone, cellsTotal, failed, expired);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning(e, "Reading progress failed; trying again in {Interval:0.0} s", _settings.ProgressInterval.TotalSeconds);
        }
    }

    private async Task FinishAsync(string sweepId, SweepProgress progress, CancellationToken cancellationToken)
    {
        var log = _log.ForContext("SweepId", sweepId);
        // The store journals sweep_finished itself, once, whichever coordinator gets there first.
        await _store.MarkSweepFinishedAsync(sweepId, cancellationToken).ConfigureAwait(false);

        if (progress.UnitsFailed > 0)
        {
            log.Error("Sweep {SweepId} finished with {UnitsFailed} failed units (re-queue them with --retry-failed)", sweepId, progress.UnitsFailed);
        }
        else
        {
            log.Information("Sweep {SweepId} complete: {CellsDone} cells in {UnitsDone} units", sweepId, progress.CellsDone, progress.UnitsDone);
        }

        if (_onFinished is not null)
        {
            await _onFinished(sweepId, progress, cancellationToken).ConfigureAwait(false);
        }

        _finished.Add(sweepId);
    }

    public static string FormatEta(double? seconds) => seconds switch
    {
        null => "unknown",
        < 1 => "0 s",
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.0} h",
    };
}
