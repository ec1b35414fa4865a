using SweepCluster.Storage;

namespace SweepCluster.Cluster.Workers;

/// <summary>What the store says about the work left, for workers that exit when idle and may find no coordinator to ask.</summary>
public static class StoreWork
{
    /// <summary>Whether no unit of the sweep (or of any sweep) is pending or started and unfinished.</summary>
    public static async Task<bool> NothingLeftAsync(ISweepStore store, string? sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweeps = sweepId is not null ? [sweepId] : (await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Id).ToArray();
        foreach (string id in sweeps)
        {
            if (!(await store.GetProgressAsync(id, cancellationToken).ConfigureAwait(false)).IsComplete)
            {
                return false;
            }
        }

        return true;
    }
}
