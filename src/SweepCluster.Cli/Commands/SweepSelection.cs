using SweepCluster.Storage;

namespace SweepCluster.Cli.Commands;

/// <summary>Picks the sweep a command is about: the one named, or the only one in the store.</summary>
public static class SweepSelection
{
    public static async Task<string> ResolveAsync(ISweepStore store, string? requested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweeps = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
        if (requested is not null)
        {
            return sweeps.Any(s => s.Id == requested)
                ? requested
                : throw new CommandInputException($"no sweep '{requested}' in {store.Description}; it has: {(sweeps.Count == 0 ? "none" : string.Join(", ", sweeps.Select(s => s.Id)))}");
        }

        return sweeps.Count switch
        {
            1 => sweeps[0].Id,
            0 => throw new CommandInputException($"the store {store.Description} has no sweep yet (start one with 'sweep run GRID' or 'sweep submit GRID')"),
            _ => throw new CommandInputException($"the store has several sweeps ({string.Join(", ", sweeps.Select(s => s.Id))}): name one"),
        };
    }
}
