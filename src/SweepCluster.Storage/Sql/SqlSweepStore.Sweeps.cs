using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Grids;
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
        var cells = sweep.Cells.DistinctBy(c => c.Id).ToList();
        var distinctUnits = units.DistinctBy(u => u.Id).ToList();
        var outcome = await WriteAsync(async s =>
        {
            bool newSweep = await WriteSweepAsync(s, sweep.Id, sweep.GridHash, sweep.GridText, sweep.Spectra).ConfigureAwait(false);
            int newCells = 0;
            foreach (var batch in cells.Chunk(SubmitBatchRows))
            {
                newCells += await InsertCellsAsync(s, sweep.Id, batch).ConfigureAwait(false);
            }

            int newUnits = await InsertUnitsAsync(s, sweep.Id, distinctUnits).ConfigureAwait(false);
            return await FinishSubmissionAsync(s, sweep.Id, sweep.GridFile, newSweep, newCells, units.Count, newUnits).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await RefreshStatisticsAfterAsync(outcome, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction, written in batches of <see cref="SubmitBatchRows"/> cells: each batch is inserted, its cells that
    /// already have a result are looked up, and the others go into the plan, which keeps 16 bytes per cell. The units are
    /// planned here rather than by the caller because which cells are done is only known inside the transaction.
    /// </remarks>
    public async Task<SubmitOutcome> SubmitAsync(SweepSource sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentException.ThrowIfNullOrEmpty(sweep.Id);
        var outcome = await WriteAsync(async s =>
        {
            bool newSweep = await WriteSweepAsync(s, sweep.Id, sweep.GridHash, sweep.GridText, sweep.Spectra).ConfigureAwait(false);
            var plan = new UnitPlanBuilder(sweep.Id);
            int cells = 0;
            int newCells = 0;
            int completed = 0;
            foreach (var batch in sweep.Cells.Chunk(SubmitBatchRows))
            {
                cells += batch.Length;
                newCells += await InsertCellsAsync(s, sweep.Id, batch).ConfigureAwait(false);
                var done = await CompletedAmongAsync(s, batch.Select(c => c.Id)).ConfigureAwait(false);
                foreach (var cell in batch)
                {
                    if (done.Contains(cell.Id))
                    {
                        completed++;
                    }
                    else
                    {
                        plan.Add(cell);
                    }
                }
            }

            int newUnits = 0;
            foreach (var batch in plan.Units().Chunk(SubmitBatchRows))
            {
                newUnits += await InsertUnitsAsync(s, sweep.Id, batch).ConfigureAwait(false);
            }

            var written = await FinishSubmissionAsync(s, sweep.Id, sweep.GridFile, newSweep, newCells, plan.UnitCount, newUnits).ConfigureAwait(false);
            return written with { Cells = cells, CompletedCells = completed, PlannedUnits = plan.UnitCount };
        }, cancellationToken).ConfigureAwait(false);
        await RefreshStatisticsAfterAsync(outcome, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Cells or units per insert statement of a submission: a batch's parameters take about a megabyte.</summary>
    internal const int SubmitBatchRows = 2000;

    private async Task RefreshStatisticsAfterAsync(SubmitOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.NewCells + outcome.NewUnits >= StatisticsRefreshRows)
        {
            await WriteAsync(s => s.Dialect.RefreshStatistics is { } sql ? s.ExecuteAsync(sql) : Task.FromResult(0), cancellationToken).ConfigureAwait(false);
        }
    }

    // The sweep row (the grid text refreshed when it changed) and its spectra; true when the sweep is new.
    private static async Task<bool> WriteSweepAsync(SqlSession s, string sweepId, string gridHash, string gridText, IReadOnlyDictionary<string, string> spectra)
    {
        var d = s.Dialect;
        var sweepRow = new { id = sweepId, gridHash, gridText, now = s.Now };
        bool newSweep = await s.ExecuteAsync(
            "INSERT INTO sweeps (id, grid_hash, grid_text, created_at) VALUES (@id, @gridHash, @gridText, @now) ON CONFLICT (id) DO NOTHING",
            sweepRow).ConfigureAwait(false) == 1;
        if (!newSweep)
        {
            await s.ExecuteAsync(
                "UPDATE sweeps SET grid_hash = @gridHash, grid_text = @gridText WHERE id = @id AND (grid_hash <> @gridHash OR grid_text <> @gridText)",
                sweepRow).ConfigureAwait(false);
        }

        var sorted = spectra.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var spectrumRows = new RowList("p").Column("hash", sorted.Select(p => p.Key)).Column("text", sorted.Select(p => p.Value));
        await d.ExecuteAsync(s, $"""
            INSERT INTO spectra (hash, text)
            SELECT p.hash, p.text FROM {d.From(spectrumRows)} WHERE true
            ON CONFLICT (hash) DO NOTHING
            """,
            spectrumRows).ConfigureAwait(false);
        return newSweep;
    }

    // Inserts cells (if absent) and links them to the sweep; returns how many were new to the store.
    private static async Task<int> InsertCellsAsync(SqlSession s, string sweepId, IReadOnlyList<CellDefinition> batch)
    {
        var d = s.Dialect;
        var cells = batch.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
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
            cellIds, new { sweepId }).ConfigureAwait(false);
        return newCells;
    }

    // Inserts units (if absent) with their cell links, in id order; returns how many were new.
    private static async Task<int> InsertUnitsAsync(SqlSession s, string sweepId, IReadOnlyList<UnitDefinition> batch)
    {
        var d = s.Dialect;
        var units = batch.OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var unitRows = new RowList("u")
            .Column("id", units.Select(u => u.Id))
            .Column("kind", units.Select(u => UnitKindNames.ToName(u.Kind)))
            .Column("group_key", units.Select(u => u.GroupKey))
            .Column("cost", units.Select(u => u.Cost));
        var newUnitIds = (await d.QueryAsync<string>(s, $"""
            INSERT INTO units (id, sweep_id, kind, group_key, cost, state, created_at)
            SELECT u.id, @sweepId, u.kind, u.group_key, u.cost, @pending, @now FROM {d.From(unitRows)} WHERE true
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """,
            unitRows, new { sweepId, pending = UnitStates.Pending, now = s.Now }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        if (newUnitIds.Count > 0)
        {
            // A unit's id hashes its cells, so an existing unit already has exactly these.
            var links = units.Where(u => newUnitIds.Contains(u.Id))
                .SelectMany(u => u.CellIds.Distinct(StringComparer.Ordinal).Select(c => (UnitId: u.Id, CellId: c)))
                .ToList();
            var linkRows = new RowList("l").Column("unit_id", links.Select(l => l.UnitId)).Column("cell_id", links.Select(l => l.CellId));
            await d.ExecuteAsync(s, $"INSERT INTO unit_cells (unit_id, cell_id) SELECT l.unit_id, l.cell_id FROM {d.From(linkRows)}", linkRows).ConfigureAwait(false);
        }

        return newUnitIds.Count;
    }

    // New units reopen a finished sweep; the journal records the submission.
    private static async Task<SubmitOutcome> FinishSubmissionAsync(SqlSession s, string sweepId, string? gridFile, bool newSweep, int newCells, int units, int newUnits)
    {
        if (newUnits > 0)
        {
            await s.ExecuteAsync("UPDATE sweeps SET finished_at = NULL WHERE id = @id", new { id = sweepId }).ConfigureAwait(false);
        }

        long totalCells = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @id", new { id = sweepId }).ConfigureAwait(false);
        // The grid file goes last, so that a path with spaces or '=' reads back whole (SubmissionDetail).
        string detail = Invariant($"cells={totalCells} new_cells={newCells} units={units} new_units={newUnits}");
        await JournalAsync(s, JournalEventKinds.SweepSubmitted, sweepId, null, null, null,
            gridFile is null ? detail : $"{detail} {SubmissionDetail.GridFileKey}={gridFile}").ConfigureAwait(false);
        return new SubmitOutcome(newSweep, newCells, newUnits, (int)totalCells);
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

            var tallies = (await s.QueryAsync<UnitCostTallyRow>("""
                    SELECT kind AS Kind, state AS State, count(*) AS Units, coalesce(sum(cost), 0.0) AS Cost,
                           coalesce(sum(CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL THEN cost ELSE 0.0 END), 0.0) AS TimedCost,
                           coalesce(sum(CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL THEN finished_at - started_at ELSE 0.0 END), 0.0) AS TimedSeconds
                    FROM units WHERE sweep_id = @sweepId GROUP BY kind, state
                    """, new { sweepId }).ConfigureAwait(false))
                .Select(r => r.ToRecord())
                .ToList();
            var inFlight = (await s.QueryAsync<UnitRow>(
                    "SELECT kind AS Kind, cost AS Cost, started_at AS StartedAt FROM units WHERE sweep_id = @sweepId AND state = @leased",
                    new { sweepId, leased = UnitStates.Leased }).ConfigureAwait(false))
                .Select(r => new UnitInFlight(UnitKindNames.Parse(r.Kind), r.Cost, r.StartedAt))
                .ToList();
            var computeTimes = (await s.QueryAsync<UnitComputeSumsRow>("""
                    SELECT kind AS Kind, count(*) AS Units, sum(cost) AS Cost, sum(compute_s) AS Seconds,
                           sum(cost * cost) AS CostSquared, sum(cost * compute_s) AS CostTimesSeconds
                    FROM units WHERE sweep_id = @sweepId AND state = @done AND compute_s IS NOT NULL GROUP BY kind
                    """, new { sweepId, done = UnitStates.Done }).ConfigureAwait(false))
                .Select(r => r.ToRecord())
                .ToList();
            var pending = (await s.QueryAsync<UnitCostGroupRow>($"""
                    SELECT kind AS Kind, cost AS Cost, count(*) AS Units
                    FROM units WHERE sweep_id = @sweepId AND state = @pending GROUP BY kind, cost
                    ORDER BY cost DESC, kind LIMIT {SweepProgress.MaxPendingGroups}
                    """, new { sweepId, pending = UnitStates.Pending }).ConfigureAwait(false))
                .Select(r => r.ToRecord())
                .ToList();
            int Count(string state) => tallies.Where(t => t.State == state).Sum(t => t.Units);
            long cellsTotal = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            long cellsDone = await s.ScalarAsync<long>(
                "SELECT count(*) FROM sweep_cells sc JOIN results r ON r.cell_id = sc.cell_id WHERE sc.sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            return new SweepProgress(
                sweepId,
                Count(UnitStates.Pending),
                Count(UnitStates.Leased),
                Count(UnitStates.Done),
                Count(UnitStates.Failed),
                (int)cellsTotal,
                (int)cellsDone,
                s.Now,
                tallies,
                inFlight,
                computeTimes,
                pending);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetSpectrumAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        return ReadAsync(s => s.ScalarAsync<string>("SELECT text FROM spectra WHERE hash = @contentHash", new { contentHash }), cancellationToken);
    }
}
