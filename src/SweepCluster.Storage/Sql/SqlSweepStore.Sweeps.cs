using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Sql;

/// <summary>Sweeps: submission (with cells, units and spectra), listing, progress, finishing and retrying.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    /// <remarks>
    /// <see cref="SubmitOutcome.NewCells"/> counts cells new to the store (a cell another sweep already
    /// holds is shared, not new); <see cref="SubmitOutcome.TotalCells"/> counts the sweep's cells after the
    /// submit. New units reopen a finished sweep.
    /// </remarks>
    public async Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(units);
        StoreValidation.ValidateSubmission(sweep, units);
        var cells = sweep.Cells.DistinctBy(c => c.Id).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var distinctUnits = units.DistinctBy(u => u.Id).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var spectra = sweep.Spectra.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var outcome = await WriteAsync(async s =>
        {
            var d = s.Dialect;
            var sweepRow = new { id = sweep.Id, gridHash = sweep.GridHash, gridText = sweep.GridText, now = s.Now };
            bool newSweep = await s.ExecuteAsync(
                "INSERT INTO sweeps (id, grid_hash, grid_text, created_at) VALUES (@id, @gridHash, @gridText, @now) ON CONFLICT (id) DO NOTHING",
                sweepRow).ConfigureAwait(false) == 1;
            if (!newSweep)
            {
                await s.ExecuteAsync(
                    "UPDATE sweeps SET grid_hash = @gridHash, grid_text = @gridText WHERE id = @id AND (grid_hash <> @gridHash OR grid_text <> @gridText)",
                    sweepRow).ConfigureAwait(false);
            }

            var newCellRows = new RowList("c")
                .Column("id", cells.Select(c => c.Id))
                .Column("kind", cells.Select(c => CellKindNames.ToName(c.Kind)))
                .Column("group_key", cells.Select(c => c.GroupKey))
                .Column("params", cells.Select(c => c.CanonicalParameters));
            int newCells = await d.ExecuteAsync(s, $"""
                INSERT INTO cells (id, kind, group_key, params)
                SELECT c.id, c.kind, c.group_key, c.params FROM {d.From(newCellRows)} WHERE true
                ON CONFLICT (id) DO NOTHING
                """,
                newCellRows).ConfigureAwait(false);
            var cellIds = new RowList("c").Column("id", cells.Select(c => c.Id));
            await d.ExecuteAsync(s, $"""
                INSERT INTO sweep_cells (sweep_id, cell_id)
                SELECT @sweepId, c.id FROM {d.From(cellIds)} WHERE true
                ON CONFLICT DO NOTHING
                """,
                cellIds, new { sweepId = sweep.Id }).ConfigureAwait(false);
            var spectrumRows = new RowList("p").Column("hash", spectra.Select(p => p.Key)).Column("text", spectra.Select(p => p.Value));
            await d.ExecuteAsync(s, $"""
                INSERT INTO spectra (hash, text)
                SELECT p.hash, p.text FROM {d.From(spectrumRows)} WHERE true
                ON CONFLICT (hash) DO NOTHING
                """,
                spectrumRows).ConfigureAwait(false);

            var unitRows = new RowList("u")
                .Column("id", distinctUnits.Select(u => u.Id))
                .Column("kind", distinctUnits.Select(u => UnitKindNames.ToName(u.Kind)))
                .Column("group_key", distinctUnits.Select(u => u.GroupKey))
                .Column("cost", distinctUnits.Select(u => u.Cost));
            var newUnitIds = (await d.QueryAsync<string>(s, $"""
                INSERT INTO units (id, sweep_id, kind, group_key, cost, state, created_at)
                SELECT u.id, @sweepId, u.kind, u.group_key, u.cost, @pending, @now FROM {d.From(unitRows)} WHERE true
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                unitRows, new { sweepId = sweep.Id, pending = UnitStates.Pending, now = s.Now }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            if (newUnitIds.Count > 0)
            {
                // A unit's id hashes its cells, so an existing unit already has exactly these.
                var links = distinctUnits.Where(u => newUnitIds.Contains(u.Id))
                    .SelectMany(u => u.CellIds.Distinct(StringComparer.Ordinal).Select(c => (UnitId: u.Id, CellId: c)))
                    .ToList();
                var linkRows = new RowList("l").Column("unit_id", links.Select(l => l.UnitId)).Column("cell_id", links.Select(l => l.CellId));
                await d.ExecuteAsync(s, $"INSERT INTO unit_cells (unit_id, cell_id) SELECT l.unit_id, l.cell_id FROM {d.From(linkRows)}", linkRows).ConfigureAwait(false);
                await s.ExecuteAsync("UPDATE sweeps SET finished_at = NULL WHERE id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            }

            long totalCells = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            await JournalAsync(s, JournalEventKinds.SweepSubmitted, sweep.Id, null, null, null,
                Invariant($"cells={totalCells} new_cells={newCells} units={units.Count} new_units={newUnitIds.Count}")).ConfigureAwait(false);
            return new SubmitOutcome(newSweep, newCells, newUnitIds.Count, (int)totalCells);
        }, cancellationToken).ConfigureAwait(false);

        if (outcome.NewCells + outcome.NewUnits >= StatisticsRefreshRows)
        {
            await WriteAsync(s => s.Dialect.RefreshStatistics is { } sql ? s.ExecuteAsync(sql) : Task.FromResult(0), cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>New rows from which a submission refreshes the planner's statistics (below it, they cost more than they save).</summary>
    private const int StatisticsRefreshRows = 1000;

    /// <inheritdoc />
    /// <remarks>
    /// The attempt counter is kept (it is part of the fencing token, which must never repeat); retry_base records
    /// where the fresh attempt budget starts, for a store the first version still reads. Reopens a finished sweep.
    /// </remarks>
    public Task<int> RetryFailedAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return WriteAsync(async s =>
        {
            int requeued = await s.ExecuteAsync("""
                UPDATE units
                SET state = @pending, retry_base = attempts, next_attempt_at = @now, owner = NULL, lease_expires_at = NULL, finished_at = NULL
                WHERE sweep_id = @sweepId AND state = @failed
                """,
                new { sweepId, pending = UnitStates.Pending, failed = UnitStates.Failed, now = s.Now }).ConfigureAwait(false);
            if (requeued > 0)
            {
                await s.ExecuteAsync("UPDATE sweeps SET finished_at = NULL WHERE id = @sweepId", new { sweepId }).ConfigureAwait(false);
                await JournalAsync(s, JournalEventKinds.UnitsRequeued, sweepId, null, null, null, Invariant($"units={requeued}")).ConfigureAwait(false);
            }

            return requeued;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Also false while any unit of the sweep is pending or leased: a sweep with work left is not finished.</remarks>
    public Task<bool> MarkSweepFinishedAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return WriteAsync(async s =>
        {
            int marked = await s.ExecuteAsync("""
                UPDATE sweeps SET finished_at = @now
                WHERE id = @sweepId
                  AND finished_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM units WHERE sweep_id = @sweepId AND state IN (@pending, @leased))
                """,
                new { sweepId, now = s.Now, pending = UnitStates.Pending, leased = UnitStates.Leased }).ConfigureAwait(false);
            if (marked == 1)
            {
                await JournalAsync(s, JournalEventKinds.SweepFinished, sweepId, null, null, null, null).ConfigureAwait(false);
            }

            return marked == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SweepInfo>> ListSweepsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<SweepInfo>>(async s =>
        {
            var rows = await s.QueryAsync<SweepRow>("""
                SELECT s.id AS Id, s.grid_hash AS GridHash, s.grid_text AS GridText, s.created_at AS CreatedAt,
                       s.finished_at IS NOT NULL AS Finished, s.finished_at AS FinishedAt, s.cancelled_at AS CancelledAt,
                       (SELECT count(*) FROM sweep_cells sc WHERE sc.sweep_id = s.id) AS Cells,
                       (SELECT count(*) FROM units u WHERE u.sweep_id = s.id) AS Units
                FROM sweeps s
                ORDER BY s.created_at DESC, s.id
                """).ConfigureAwait(false);
            return rows.Select(r => r.ToRecord()).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Throws <see cref="KeyNotFoundException"/> for a sweep the store does not hold.</remarks>
    public Task<SweepProgress> GetProgressAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync(async s =>
        {
            if (await s.ScalarAsync<long>("SELECT count(*) FROM sweeps WHERE id = @sweepId", new { sweepId }).ConfigureAwait(false) == 0)
            {
                throw new KeyNotFoundException($"the store {Description} has no sweep '{sweepId}'");
            }

            var byState = (await s.QueryAsync<(string State, long Count)>(
                    "SELECT state, count(*) FROM units WHERE sweep_id = @sweepId GROUP BY state", new { sweepId }).ConfigureAwait(false))
                .ToDictionary(r => r.State, r => (int)r.Count, StringComparer.Ordinal);
            long cellsTotal = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            long cellsDone = await s.ScalarAsync<long>(
                "SELECT count(*) FROM sweep_cells sc JOIN results r ON r.cell_id = sc.cell_id WHERE sc.sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            return new SweepProgress(
                sweepId,
                byState.GetValueOrDefault(UnitStates.Pending),
                byState.GetValueOrDefault(UnitStates.Leased),
                byState.GetValueOrDefault(UnitStates.Done),
                byState.GetValueOrDefault(UnitStates.Failed),
                (int)cellsTotal,
                (int)cellsDone,
                s.Now);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetSpectrumAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        return ReadAsync(s => s.ScalarAsync<string>("SELECT text FROM spectra WHERE hash = @contentHash", new { contentHash }), cancellationToken);
    }
}
