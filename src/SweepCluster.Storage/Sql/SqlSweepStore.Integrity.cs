namespace SweepCluster.Storage.Sql;

/// <summary>The store's self-checks: is it a store, is its storage sound, do a sweep's rows agree with each other.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    public abstract Task<StoreCheck> CheckAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    /// <remarks>
    /// A cell may belong to units of several sweeps (cells are shared), so a cell counts as lost only when no unit
    /// anywhere is still pending, in flight or failed for it: a failed unit's cells are expected to lack results.
    /// </remarks>
    public Task<SweepAudit> AuditSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync(async s =>
        {
            if (await s.ScalarAsync<long>("SELECT count(*) FROM sweeps WHERE id = @sweepId", new { sweepId }).ConfigureAwait(false) == 0)
            {
                throw new KeyNotFoundException($"the store {Description} has no sweep '{sweepId}'");
            }

            long lost = await s.ScalarAsync<long>("""
                SELECT count(*) FROM sweep_cells sc
                WHERE sc.sweep_id = @sweepId
                  AND NOT EXISTS (SELECT 1 FROM results r WHERE r.cell_id = sc.cell_id)
                  AND NOT EXISTS (SELECT 1 FROM unit_cells uc JOIN units u ON u.id = uc.unit_id
                                  WHERE uc.cell_id = sc.cell_id AND u.state <> 'done')
                """, new { sweepId }).ConfigureAwait(false);
            long nonDeterministic = await s.ScalarAsync<long>("""
                SELECT count(DISTINCT n.cell_id) FROM nondeterminism n
                WHERE n.cell_id IN (SELECT cell_id FROM sweep_cells WHERE sweep_id = @sweepId)
                """, new { sweepId }).ConfigureAwait(false);
            return new SweepAudit(sweepId, (int)lost, (int)nonDeterministic);
        }, cancellationToken);
    }

}
