using SweepCluster.Cli.Stores;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Commands;

/// <summary>The store of `cancel` and `delete`: one that must exist (never created), opened for writing and migrated.</summary>
public static class ManagedStore
{
    /// <summary>Checks the store as the reading commands do, then opens it to write; returns it with the sweep named or the only one.</summary>
    public static async Task<(ISweepStore Store, SweepInfo Sweep)> OpenAsync(StoreLocation location, string? requested, CancellationToken cancellationToken)
    {
        await (await StoreFactory.OpenForReadingAsync(location, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        var store = await StoreFactory.OpenAsync(location, migrate: true, cancellationToken).ConfigureAwait(false);
        try
        {
            string id = await SweepSelection.ResolveAsync(store, requested, cancellationToken).ConfigureAwait(false);
            var sweeps = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
            return (store, sweeps.First(s => s.Id == id));
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
