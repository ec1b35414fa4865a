using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Sql;

/// <summary>A user's management of whole sweeps: cancelling, resuming and deleting them.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    public Task<bool> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return WriteAsync(async s =>
        {
            await RequireSweepAsync(s, sweepId).ConfigureAwait(false);
            bool marked = await s.ExecuteAsync("UPDATE sweeps SET cancelled_at = @now WHERE id = @sweepId AND cancelled_at IS NULL", new { sweepId, now = s.Now }).ConfigureAwait(false) == 1;
            if (marked)
            {
                await JournalAsync(s, JournalEventKinds.SweepCancelled, sweepId, null, null, null, null).ConfigureAwait(false);
            }

            return marked;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ResumeSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return WriteAsync(async s =>
        {
            bool cleared = await s.ExecuteAsync("UPDATE sweeps SET cancelled_at = NULL WHERE id = @sweepId AND cancelled_at IS NOT NULL", new { sweepId }).ConfigureAwait(false) == 1;
            if (cleared)
            {
                await JournalAsync(s, JournalEventKinds.SweepResumed, sweepId, null, null, null, null).ConfigureAwait(false);
            }

            return cleared;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A result names the unit that computed it (a foreign key), and a cell shared with a later sweep was usually
    /// computed by a unit of the earlier one: such a unit moves to a sweep that holds the cell instead of being
    /// deleted, so the kept result still says who computed it. Spectra (content-addressed, small) and the journal
    /// (the audit trail) stay.
    /// </remarks>
    public Task<SweepDeletion> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return WriteAsync(async s =>
        {
            var d = s.Dialect;
            await RequireSweepAsync(s, sweepId).ConfigureAwait(false);
            var p = new { sweepId };

            // EXCEPT rather than NOT EXISTS: sweep_cells is keyed by sweep first, so a lookup by cell alone would scan it.
            var exclusive = await s.QueryAsync<string>("""
                SELECT cell_id FROM sweep_cells WHERE sweep_id = @sweepId
                EXCEPT
                SELECT cell_id FROM sweep_cells WHERE sweep_id <> @sweepId
                """, p).ConfigureAwait(false);
            long total = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @sweepId", p).ConfigureAwait(false);

            var moves = await s.QueryAsync<(string UnitId, string ToSweep)>("""
                SELECT ref.unit_id, min(o.sweep_id)
                FROM (SELECT unit_id, cell_id FROM results UNION SELECT unit_id, cell_id FROM nondeterminism) ref
                JOIN units u ON u.id = ref.unit_id
                JOIN sweep_cells o ON o.cell_id = ref.cell_id
                WHERE u.sweep_id = @sweepId AND o.sweep_id <> @sweepId
                GROUP BY ref.unit_id
                """, p).ConfigureAwait(false);
            if (moves.Count > 0)
            {
                var moveRows = new RowList("m").Column("unit_id", moves.Select(m => m.UnitId)).Column("sweep_id", moves.Select(m => m.ToSweep));
                await d.ExecuteAsync(s, $"""
                    UPDATE units SET sweep_id = (SELECT m.sweep_id FROM {d.From(moveRows)} WHERE m.unit_id = units.id)
                    WHERE id IN (SELECT m.unit_id FROM {d.From(moveRows)})
                    """, moveRows).ConfigureAwait(false);
            }

            var cellRows = new RowList("c").Column("id", exclusive);
            foreach (string table in (string[])["nondeterminism", "results", "unit_cells"])
            {
                await d.ExecuteAsync(s, $"DELETE FROM {table} WHERE cell_id IN (SELECT c.id FROM {d.From(cellRows)})", cellRows).ConfigureAwait(false);
            }

            await s.ExecuteAsync("DELETE FROM unit_cells WHERE unit_id IN (SELECT id FROM units WHERE sweep_id = @sweepId)", p).ConfigureAwait(false);
            int units = await s.ExecuteAsync("DELETE FROM units WHERE sweep_id = @sweepId", p).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM sweep_cells WHERE sweep_id = @sweepId", p).ConfigureAwait(false);
            await d.ExecuteAsync(s, $"DELETE FROM cells WHERE id IN (SELECT c.id FROM {d.From(cellRows)})", cellRows).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM sweeps WHERE id = @sweepId", p).ConfigureAwait(false);

            var deletion = new SweepDeletion(exclusive.Count, (int)total - exclusive.Count, units, moves.Count);
            await JournalAsync(s, JournalEventKinds.SweepDeleted, sweepId, null, null, null,
                Invariant($"cells_deleted={deletion.CellsDeleted} cells_kept={deletion.CellsKept} units_deleted={deletion.UnitsDeleted} units_moved={deletion.UnitsMoved}")).ConfigureAwait(false);
            return deletion;
        }, cancellationToken);
    }

    private static async Task RequireSweepAsync(SqlSession s, string sweepId)
    {
        if (await s.ScalarAsync<long>("SELECT count(*) FROM sweeps WHERE id = @sweepId", new { sweepId }).ConfigureAwait(false) == 0)
        {
            throw new KeyNotFoundException($"no sweep '{sweepId}' in the store");
        }
    }
}
