using Serilog;
using SweepCluster.Cluster.Actors;
using SweepCluster.Cluster.Settings;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Workers;

/// <summary>
/// Writes computed units to the store, one transaction each, so that the worker keeps claiming and
/// computing while the database is busy. Transient store errors are retried with backoff; if the store
/// stays away the lease runs out and another node recomputes the unit (results are deterministic).
/// </summary>
public sealed class ResultWriterActor : Actor<IResultWriterMessage>
{
    private const int CommitAttempts = 6;

    private readonly ISweepStore _store;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;

    public ResultWriterActor(ISweepStore store, ClusterSettings settings, ILogger log)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    protected override async Task HandleAsync(IResultWriterMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case CommitUnit commit:
                await CommitAsync(commit, cancellationToken).ConfigureAwait(false);
                break;
            case StopWriter:
                Stop();
                break;
        }
    }

    private async Task CommitAsync(CommitUnit commit, CancellationToken cancellationToken)
    {
        var lease = commit.Unit.Lease;
        var log = _log.ForContext("SweepId", commit.Unit.SweepId).ForContext("UnitId", lease.UnitId).ForContext("Attempt", lease.Attempt);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                // Checkpoint: once this transaction commits, the unit's results survive any crash.
                var outcome = await _store.CompleteAsync(lease, commit.Results, cancellationToken).ConfigureAwait(false);
                if (outcome.Mismatches > 0)
                {
                    log.Error("Unit {UnitId} gave {Mismatches} results that differ from the stored ones (recorded as non-determinism)", lease.UnitId, outcome.Mismatches);
                }
                else if (outcome.Status == CompletionStatus.AlreadyDone)
                {
                    log.Warning("Unit {UnitId} was already completed by another node; its identical results were discarded", lease.UnitId);
                }
                else if (outcome.Status == CompletionStatus.CompletedAfterLeaseLoss)
                {
                    log.Warning("Unit {UnitId} completed after its lease had expired; accepted because nobody else finished it", lease.UnitId);
                }

                commit.ReplyTo.Tell(new UnitCommitted(commit.Unit, outcome));
                return;
            }
            catch (Exception e) when (attempt < CommitAttempts && e is not OperationCanceledException)
            {
                var delay = _settings.RetryDelay(attempt);
                log.Warning(e, "Storing unit {UnitId} failed (try {Try} of {Tries}); retrying in {Delay:0.0} s", lease.UnitId, attempt, CommitAttempts, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Error(e, "Storing unit {UnitId} failed {Tries} times; its lease will expire and the unit will be computed again", lease.UnitId, CommitAttempts);
                commit.ReplyTo.Tell(new UnitCommitted(commit.Unit, null));
                return;
            }
        }
    }
}
