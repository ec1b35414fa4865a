using SweepCluster.Cli.Stores;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// A sweep's rows cross-checked before a command reports on them or calls them complete: lost results are damage
/// (<see cref="StoreDamagedException"/>, exit code 3); non-determinism is counted for the command to show.
/// </summary>
public static class SweepAudits
{
    public static async Task<SweepAudit> CheckAsync(ISweepStore store, string sweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var audit = await store.AuditSweepAsync(sweepId, cancellationToken).ConfigureAwait(false);
        if (audit.LostCells > 0)
        {
            throw new StoreDamagedException(
                $"the store {store.Description} is damaged: {audit.LostCells} cells of sweep {sweepId} have no result although every unit computing them is done, so the sweep is not complete. Keep a copy of the store, then restore a backup or run the grid again into a new store (--store NEW.db); see docs/troubleshooting.md");
        }

        return audit;
    }

    /// <summary>The line that says a sweep has non-deterministic cells, for logs and standard error.</summary>
    public static string NonDeterminismMessage(SweepAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return $"{audit.NonDeterministicCells} cells of sweep {audit.SweepId} were computed twice with different results (non-determinism); the first result is kept and their rows are marked nondeterministic=true in the exports; see docs/troubleshooting.md";
    }
}
