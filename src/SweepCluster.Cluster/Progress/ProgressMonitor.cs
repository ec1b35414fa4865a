using Akka.Actor;
using Serilog;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Progress;

/// <summary>What a <see cref="ProgressMonitor"/> watches and whom it tells.</summary>
/// <param name="Store">The store it reads progress from.</param>
/// <param name="SweepIds">The sweeps to watch.</param>
/// <param name="Settings">Protocol settings (the interval between looks).</param>
/// <param name="Log">Logger; its context names the node (NodeId).</param>
/// <param name="Observer">Receives every progress snapshot (a terminal bar).</param>
/// <param name="OnFinished">Runs once per sweep when it completes (exports, reports).</param>
/// <param name="UntilDone">Stop once every watched sweep is complete.</param>
/// <param name="Metrics">The node's /metrics.</param>
public sealed record ProgressMonitorOptions(
    ISweepStore Store,
    IReadOnlyList<string> SweepIds,
    ClusterSettings Settings,
    ILogger Log,
    IProgressObserver? Observer = null,
    Func<string, SweepProgress, CancellationToken, Task>? OnFinished = null,
    bool UntilDone = false,
    NodeMetrics? Metrics = null);

/// <summary>How a monitor ended.</summary>
/// <param name="Completed">Every watched sweep finished (all units done or failed).</param>
/// <param name="FailedUnits">Units failed for good in the watched sweeps at the last look.</param>
public sealed record ProgressMonitorResult(bool Completed, int FailedUnits);

/// <summary>
/// The progress monitor of `run` and `coordinator`: an actor on the local node that reads the store at every
/// interval, logs throughput and ETA, feeds the progress bar and /metrics, and writes the exports once every unit
/// of a sweep is done or failed. It holds nothing the store does not have, so it runs on every coordinator-role
/// node, not only the singleton's; <see cref="Coordination.SweepCoordinator"/> hands out the work.
/// </summary>
public sealed class ProgressMonitor : ReceiveActor, IWithTimers
{
    private const string LookTimer = "look";

    private readonly ProgressMonitorOptions _options;
    private readonly TaskCompletionSource<ProgressMonitorResult> _ended;
    private readonly ILogger _log;
    private readonly Dictionary<string, (ThroughputEstimator Cells, ThroughputEstimator Work)> _throughput = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lastLogged = new(StringComparer.Ordinal);
    private int _failedUnits;

    public ProgressMonitor(ProgressMonitorOptions options, TaskCompletionSource<ProgressMonitorResult> ended)
    {
        _options = options;
        _ended = ended;
        // The caller's logger names the node (NodeId), as every other line of the process does.
        _log = options.Log;
        ReceiveAsync<Look>(_ => LookAsync());
        Receive<StopWatching>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Self.Tell(Look.Instance);

    protected override void PostStop()
    {
        bool completed = _options.SweepIds.All(_finished.Contains);
        _ended.TrySetResult(new ProgressMonitorResult(completed, _failedUnits));
    }

    private async Task LookAsync()
    {
        await AggregateAsync(CancellationToken.None).ConfigureAwait(true);
        if (_options.UntilDone && _finished.Count == _options.SweepIds.Count)
        {
            Context.Stop(Self);
            return;
        }

        // One look at a time: a look asked for early replaces the scheduled one.
        Timers.StartSingleTimer(LookTimer, Look.Instance, _options.Settings.ProgressInterval);
    }

    private async Task AggregateAsync(CancellationToken cancellationToken)
    {
        try
        {
            int failed = 0;
            int? slots = null;
            foreach (string sweepId in _options.SweepIds)
            {
                var progress = await _options.Store.GetProgressAsync(sweepId, cancellationToken).ConfigureAwait(true);
                failed += progress.UnitsFailed;
                _options.Metrics?.SetSweepProgress(sweepId, progress.CellsDone, progress.CellsTotal, progress.UnitsFailed, progress.UnitsLeased);
                if (_finished.Contains(sweepId))
                {
                    continue;
                }

                if (!_throughput.TryGetValue(sweepId, out var estimators))
                {
                    _throughput[sweepId] = estimators = (new ThroughputEstimator(), new ThroughputEstimator());
                }

                slots ??= await ComputeSlotsAsync(progress, cancellationToken).ConfigureAwait(true);
                var work = SweepWork.Estimate(progress, slots);
                estimators.Cells.Add(progress.DatabaseTime, progress.CellsDone);
                estimators.Work.Add(progress.DatabaseTime, work.CreditedCost);
                double? byRate = estimators.Work.EtaSeconds(work.Remaining, kind => work.SecondsPerCost[kind]);
                bool log = ShouldLog(sweepId, progress);
                // The schedule (a layout of every pending unit) only where it is used: as the ETA before the rate is
                // known, and beside it on the lines that are logged.
                double? bySchedule = byRate is null || log ? TailSchedule.RemainingSeconds(progress, slots.Value) : null;

                var snapshot = new ProgressSnapshot(progress, estimators.Cells.PerSecond, progress.IsComplete ? 0 : Eta.Combine(byRate, bySchedule), work.Fraction);
                _options.Observer?.OnProgress(snapshot);
                if (log)
                {
                    // The ETA in seconds rides along for machines (jq, the ETA benchmark); the message has it for people.
                    _log.ForContext("SweepId", sweepId).ForContext("EtaSeconds", snapshot.EtaSeconds)
                        .ForContext("EtaByRateSeconds", byRate).ForContext("EtaByScheduleSeconds", bySchedule).ForContext("Slots", slots).Information(
                        "Sweep {SweepId}: {Percent:0.0}% of the predicted work; {UnitsDone}/{UnitsTotal} units done, {UnitsLeased} in flight, {UnitsFailed} failed; {CellsDone}/{CellsTotal} cells; {CellsPerSecond:0.0} cells/s; ETA {Eta}",
                        sweepId, 100 * work.Fraction, progress.UnitsDone, progress.UnitsTotal, progress.UnitsLeased, progress.UnitsFailed, progress.CellsDone, progress.CellsTotal, snapshot.CellsPerSecond, EtaText.Format(snapshot.EtaSeconds));
                }

                if (progress.IsComplete)
                {
                    await FinishAsync(sweepId, progress, cancellationToken).ConfigureAwait(true);
                }
            }

            _failedUnits = failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warning("Reading progress failed ({Reason}); trying again in {Interval:0.0} s", e.GetBaseException().Message, _options.Settings.ProgressInterval.TotalSeconds);
        }
    }

    /// <summary>
    /// The compute slots of the members that reported in the last few seconds; without any (a member report not yet
    /// written), the units in flight stand in, at least one.
    /// </summary>
    private async Task<int> ComputeSlotsAsync(SweepProgress progress, CancellationToken cancellationToken)
    {
        var members = await _options.Store.ListMembersAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(true);
        int slots = members.Sum(m => m.Report.Slots);
        return slots > 0 ? slots : Math.Max(1, progress.InFlight.Count);
    }

    /// <summary>The first look, the last, and one per log interval in between.</summary>
    private bool ShouldLog(string sweepId, SweepProgress progress)
    {
        double every = (_options.Settings.ProgressLogInterval ?? _options.Settings.ProgressInterval).TotalSeconds;
        if (!progress.IsComplete && _lastLogged.TryGetValue(sweepId, out double last) && progress.DatabaseTime - last < every)
        {
            return false;
        }

        _lastLogged[sweepId] = progress.DatabaseTime;
        return true;
    }

    private async Task FinishAsync(string sweepId, SweepProgress progress, CancellationToken cancellationToken)
    {
        var log = _log.ForContext("SweepId", sweepId);

        // The store journals sweep_finished itself, once, whichever node gets there first.
        await _options.Store.MarkSweepFinishedAsync(sweepId, cancellationToken).ConfigureAwait(true);
        if (progress.UnitsFailed > 0)
        {
            log.Error("Sweep {SweepId} finished with {UnitsFailed} failed units (re-queue them with --retry-failed)", sweepId, progress.UnitsFailed);
        }
        else
        {
            log.Information("Sweep {SweepId} complete: {CellsDone} cells in {UnitsDone} units", sweepId, progress.CellsDone, progress.UnitsDone);
        }

        if (_options.OnFinished is not null)
        {
            await _options.OnFinished(sweepId, progress, cancellationToken).ConfigureAwait(true);
        }

        _finished.Add(sweepId);
    }

    internal sealed record Look : INoSerializationVerificationNeeded
    {
        public static readonly Look Instance = new();
    }

    internal sealed record StopWatching : INoSerializationVerificationNeeded
    {
        public static readonly StopWatching Instance = new();
    }
}

/// <summary>A running <see cref="ProgressMonitor"/>.</summary>
public sealed class ProgressMonitorHandle
{
    private readonly IActorRef _actor;

    private ProgressMonitorHandle(IActorRef actor, Task<ProgressMonitorResult> ended)
    {
        _actor = actor;
        Ended = ended;
    }

    /// <summary>Starts a monitor on <paramref name="system"/>; the handle looks now, stops it and tells when it ended.</summary>
    public static ProgressMonitorHandle Start(ActorSystem system, ProgressMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        var ended = new TaskCompletionSource<ProgressMonitorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(Props.Create(() => new ProgressMonitor(options, ended)), "progress-monitor");
        return new ProgressMonitorHandle(actor, ended.Task);
    }

    /// <summary>Completes when the monitor stops (every sweep done with UntilDone, <see cref="Stop"/>, or the node's end).</summary>
    public Task<ProgressMonitorResult> Ended { get; }

    /// <summary>Look at the store now instead of at the next interval (a worker ran dry).</summary>
    public void LookNow() => _actor.Tell(ProgressMonitor.Look.Instance, ActorRefs.NoSender);

    /// <summary>Stops after the look in progress.</summary>
    public void Stop() => _actor.Tell(ProgressMonitor.StopWatching.Instance, ActorRefs.NoSender);
}
