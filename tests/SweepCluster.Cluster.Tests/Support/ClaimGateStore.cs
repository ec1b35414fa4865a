using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Support;

/// <summary>
/// A store that passes every call to <paramref name="inner"/>, except that claims can be held back: after
/// <see cref="HoldClaims"/> a claim waits until <see cref="ReleaseClaims"/>, so a test can tell work a worker
/// does without a claim from work that needs one. Disposing it leaves <paramref name="inner"/> open.
/// </summary>
public sealed class ClaimGateStore(ISweepStore inner) : ISweepStore
{
    private TaskCompletionSource? _hold;
    private int _claimsWaiting;
    private int _claims;

    /// <summary>Claims waiting at the gate now.</summary>
    public int ClaimsWaiting => Volatile.Read(ref _claimsWaiting);

    /// <summary>Claims that reached the inner store.</summary>
    public int Claims => Volatile.Read(ref _claims);

    public string Description => inner.Description;

    public void HoldClaims() => Interlocked.CompareExchange(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    public void ReleaseClaims() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public async Task<IReadOnlyList<ClaimedUnit>> ClaimAsync(string nodeId, int maxUnits, TimeSpan leaseDuration, string? sweepId = null, CancellationToken cancellationToken = default)
    {
        var hold = Volatile.Read(ref _hold);
        if (hold is not null)
        {
            Interlocked.Increment(ref _claimsWaiting);
            try
            {
                await hold.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _claimsWaiting);
            }
        }

        Interlocked.Increment(ref _claims);
        return await inner.ClaimAsync(nodeId, maxUnits, leaseDuration, sweepId, cancellationToken);
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    public Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units, CancellationToken cancellationToken = default) =>
        inner.SubmitAsync(sweep, units, cancellationToken);

    public Task<IReadOnlySet<string>> FindCompletedCellsAsync(IReadOnlyCollection<string> cellIds, CancellationToken cancellationToken = default) =>
        inner.FindCompletedCellsAsync(cellIds, cancellationToken);

    public Task RegisterNodeAsync(NodeRegistration node, CancellationToken cancellationToken = default) => inner.RegisterNodeAsync(node, cancellationToken);

    public Task<IReadOnlyList<string>> HeartbeatAsync(string nodeId, IReadOnlyCollection<UnitLease> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        inner.HeartbeatAsync(nodeId, leases, leaseDuration, cancellationToken);

    public Task<CompletionOutcome> CompleteAsync(UnitLease lease, IReadOnlyList<StoredResult> results, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(lease, results, cancellationToken);

    public Task<bool> ReleaseAsync(UnitLease lease, string reason, TimeSpan retryAfter, int maxAttempts, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(lease, reason, retryAfter, maxAttempts, cancellationToken);

    public Task<bool> ReturnUnstartedAsync(UnitLease lease, string reason, CancellationToken cancellationToken = default) =>
        inner.ReturnUnstartedAsync(lease, reason, cancellationToken);

    public Task ReleaseNodeAsync(string nodeId, CancellationToken cancellationToken = default) => inner.ReleaseNodeAsync(nodeId, cancellationToken);

    public Task<int> RetryFailedAsync(string sweepId, CancellationToken cancellationToken = default) => inner.RetryFailedAsync(sweepId, cancellationToken);

    public Task<bool> MarkSweepFinishedAsync(string sweepId, CancellationToken cancellationToken = default) => inner.MarkSweepFinishedAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<SweepInfo>> ListSweepsAsync(CancellationToken cancellationToken = default) => inner.ListSweepsAsync(cancellationToken);

    public Task<SweepProgress> GetProgressAsync(string sweepId, CancellationToken cancellationToken = default) => inner.GetProgressAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<NodeStatus>> ListNodesAsync(TimeSpan aliveWithin, CancellationToken cancellationToken = default) => inner.ListNodesAsync(aliveWithin, cancellationToken);

    public Task<IReadOnlyList<CellRecord>> GetCellsAsync(string sweepId, CancellationToken cancellationToken = default) => inner.GetCellsAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<UnitRecord>> GetUnitsAsync(string sweepId, CancellationToken cancellationToken = default) => inner.GetUnitsAsync(sweepId, cancellationToken);

    public Task<string?> GetSpectrumAsync(string contentHash, CancellationToken cancellationToken = default) => inner.GetSpectrumAsync(contentHash, cancellationToken);

    public Task AppendEventAsync(JournalEvent journalEvent, CancellationToken cancellationToken = default) => inner.AppendEventAsync(journalEvent, cancellationToken);

    public Task<IReadOnlyList<JournalEvent>> GetEventsAsync(string sweepId, CancellationToken cancellationToken = default) => inner.GetEventsAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<NonDeterminismRecord>> GetNonDeterminismAsync(string sweepId, CancellationToken cancellationToken = default) =>
        inner.GetNonDeterminismAsync(sweepId, cancellationToken);

    public ValueTask DisposeAsync()
    {
        ReleaseClaims();
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<StoredUnit>> LoadUnitsAsync(IReadOnlyCollection<string> unitIds, CancellationToken cancellationToken = default) => inner.LoadUnitsAsync(unitIds, cancellationToken);

    public Task<CompletionOutcome> CommitUnitAsync(UnitLease handOut, IReadOnlyList<StoredResult> results, CancellationToken cancellationToken = default) => inner.CommitUnitAsync(handOut, results, cancellationToken);

    public Task MarkUnitsStartedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default) => inner.MarkUnitsStartedAsync(handOuts, cancellationToken);

    public Task MarkUnitFailedAsync(UnitLease handOut, string reason, CancellationToken cancellationToken = default) => inner.MarkUnitFailedAsync(handOut, reason, cancellationToken);

    public Task PublishSeedAsync(string address, string role, CancellationToken cancellationToken = default) => inner.PublishSeedAsync(address, role, cancellationToken);

    public Task<IReadOnlyList<string>> ListSeedsAsync(string role, TimeSpan aliveWithin, CancellationToken cancellationToken = default) => inner.ListSeedsAsync(role, aliveWithin, cancellationToken);

    public Task RemoveSeedAsync(string address, CancellationToken cancellationToken = default) => inner.RemoveSeedAsync(address, cancellationToken);
}
