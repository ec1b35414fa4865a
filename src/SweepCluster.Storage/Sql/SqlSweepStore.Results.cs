using System.Runtime.CompilerServices;
using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Sql;

/// <summary>Results: committing a unit's results (the checkpoint), and reading them back with the cells and any non-determinism.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    /// <remarks>One unit through <see cref="CommitUnitsAsync"/>, whose remarks hold.</remarks>
    public async Task<CompletionOutcome> CommitUnitAsync(UnitLease handOut, IReadOnlyList<StoredResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOut);
        ArgumentNullException.ThrowIfNull(results);
        return (await CommitUnitsAsync([(handOut, results)], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Results must belong to their unit's cells: a result for another cell is a caller bug and is refused
    /// (<see cref="ArgumentException"/>), as is an unknown unit (<see cref="InvalidOperationException"/>); either
    /// refusal writes nothing for any unit of the list. A unit is marked done whatever its state unless it already
    /// is, pending and failed included. The statements are one per step whatever the number of units, so a batch
    /// costs the database about what one unit did.
    /// </remarks>
    public Task<IReadOnlyList<CompletionOutcome>> CommitUnitsAsync(IReadOnlyList<(UnitLease HandOut, IReadOnlyList<StoredResult> Results)> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Any(u => u.HandOut is null || u.Results is null))
        {
            throw new ArgumentException("every unit needs its hand-out and its results", nameof(units));
        }

        if (units.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<CompletionOutcome>>([]);
        }

        return WriteAsync(s => CommitAsync(s, units), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> FindCompletedCellsAsync(IReadOnlyCollection<string> cellIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cellIds);
        if (cellIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return await ReadAsync<IReadOnlySet<string>>(async s => await CompletedAmongAsync(s, cellIds).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<string>> CompletedAmongAsync(SqlSession s, IEnumerable<string> cellIds)
    {
        var found = await s.QueryAsync<string>(
            $"SELECT cell_id FROM results WHERE {s.Dialect.IsIn("cell_id", "@ids")}", new { ids = s.Dialect.List(cellIds) }).ConfigureAwait(false);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cell ids compare as bytes (ordinal; PostgreSQL's id columns are COLLATE "C"). A cell whose stored parameters
    /// this program cannot rebuild (another model version) makes the call fail with a <see cref="FormatException"/>
    /// naming the cell.
    /// </remarks>
    public Task<IReadOnlyList<CellRecord>> GetCellsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync(s => CellPageAsync(s, sweepId, string.Empty, int.MaxValue), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Keyset pages (cell id after the last one read), each its own read transaction; remarks of <see cref="GetCellsAsync"/> hold.</remarks>
    public async IAsyncEnumerable<CellRecord> ReadCellsAsync(string sweepId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        string after = string.Empty;
        while (true)
        {
            string from = after;
            var page = await ReadAsync(s => CellPageAsync(s, sweepId, from, ReadPageRows), cancellationToken, nameof(ReadCellsAsync)).ConfigureAwait(false);
            foreach (var cell in page)
            {
                yield return cell;
            }

            if (page.Count < ReadPageRows)
            {
                yield break;
            }

            after = page[^1].Cell.Id;
        }
    }

    /// <summary>Rows per page of the streaming reads: a page costs about a megabyte, and a round trip is small beside it.</summary>
    internal const int ReadPageRows = 1000;

    private static async Task<IReadOnlyList<CellRecord>> CellPageAsync(SqlSession s, string sweepId, string after, int limit)
    {
        var rows = await s.QueryAsync<CellResultRow>("""
            SELECT c.id AS CellId, c.params AS Params, r.status AS Status, r.metrics_json AS MetricsJson,
                   r.message AS Message, r.duration_s AS DurationSeconds
            FROM sweep_cells sc
            JOIN cells c ON c.id = sc.cell_id
            LEFT JOIN results r ON r.cell_id = sc.cell_id
            WHERE sc.sweep_id = @sweepId AND sc.cell_id > @after
            ORDER BY sc.cell_id
            LIMIT @limit
            """,
            new { sweepId, after, limit }).ConfigureAwait(false);
        return rows.Select(r => new CellRecord(
            StoreValidation.ParseCell(r.CellId, r.Params),
            r.Status is null ? null : new StoredResult(r.CellId, ResultStatusNames.Parse(r.Status), r.MetricsJson ?? "", r.Message, r.DurationSeconds ?? 0.0))).ToList();
    }

    /// <inheritdoc />
    /// <remarks>A cell belongs to every sweep that holds it, so a mismatch found through one sweep shows in all of them.</remarks>
    public Task<IReadOnlyList<NonDeterminismRecord>> GetNonDeterminismAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync<IReadOnlyList<NonDeterminismRecord>>(async s =>
        {
            var rows = await s.QueryAsync<NonDeterminismRow>("""
                SELECT n.cell_id AS CellId, n.unit_id AS UnitId, n.first_json AS FirstJson, n.second_json AS SecondJson, n.at AS At
                FROM nondeterminism n
                WHERE n.cell_id IN (SELECT cell_id FROM sweep_cells WHERE sweep_id = @sweepId)
                ORDER BY n.id
                """,
                new { sweepId }).ConfigureAwait(false);
            return rows.Select(n => n.ToRecord()).ToList();
        }, cancellationToken);
    }

    /// <summary>
    /// The body of <see cref="CommitUnitsAsync"/>, with the outcome of each unit as if they had been committed one
    /// after the other in list order: locks the units, reads their cells with the results already stored, writes
    /// the results (insert-if-absent; the first listing of a cell is the one written, the others are compared with
    /// what is stored and differences recorded as non-determinism), marks the units done unless they already are,
    /// and journals the outcomes.
    /// </summary>
    private async Task<IReadOnlyList<CompletionOutcome>> CommitAsync(SqlSession s, IReadOnlyList<(UnitLease HandOut, IReadOnlyList<StoredResult> Results)> units)
    {
        var d = s.Dialect;
        var unitIds = units.Select(u => u.HandOut.UnitId).Distinct(StringComparer.Ordinal).ToList();

        // In id order, as every commit locks them: two batches that share units queue on the first shared one
        // instead of deadlocking. The outcome of each unit is decided from what is read here.
        var locked = (await s.QueryAsync<UnitRow>($"""
            SELECT id AS Id, sweep_id AS SweepId, state AS State
            FROM units
            WHERE {d.IsIn("id", "@ids")}
            ORDER BY id
            {d.ForUpdate}
            """,
            new { ids = d.List(unitIds) }).ConfigureAwait(false)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        if (unitIds.FirstOrDefault(id => !locked.ContainsKey(id)) is { } unknown)
        {
            throw new InvalidOperationException($"cannot complete unit {unknown}: the store {Description} has no such unit");
        }

        // Results are never changed once written, so a result read here is the one any later read would see.
        var cellRows = await s.QueryAsync<(string UnitId, string CellId, string? Status, string? MetricsJson)>($"""
            SELECT uc.unit_id, uc.cell_id, r.status, r.metrics_json
            FROM unit_cells uc
            LEFT JOIN results r ON r.cell_id = uc.cell_id
            WHERE {d.IsIn("uc.unit_id", "@ids")}
            """,
            new { ids = d.List(unitIds) }).ConfigureAwait(false);
        var cellsOf = unitIds.ToDictionary(id => id, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var stored = new Dictionary<string, (string Status, string MetricsJson)>(StringComparer.Ordinal);
        foreach (var (unitId, cellId, status, metricsJson) in cellRows)
        {
            cellsOf[unitId].Add(cellId);
            if (status is not null)
            {
                stored[cellId] = (status, metricsJson ?? "");
            }
        }

        foreach (var (handOut, results) in units)
        {
            if (results.FirstOrDefault(r => !cellsOf[handOut.UnitId].Contains(r.CellId)) is { } stray)
            {
                throw new ArgumentException($"cell {stray.CellId} is not a cell of unit {handOut.UnitId}", nameof(units));
            }
        }

        // The first listing of each cell not stored yet is the one to write.
        // Each listing is known by its place (unit, result) in the list.
        var toWrite = new Dictionary<string, (UnitLease HandOut, StoredResult Result, (int Unit, int Result) Place)>(StringComparer.Ordinal);
        for (int i = 0; i < units.Count; i++)
        {
            for (int j = 0; j < units[i].Results.Count; j++)
            {
                var result = units[i].Results[j];
                if (!stored.ContainsKey(result.CellId))
                {
                    toWrite.TryAdd(result.CellId, (units[i].HandOut, result, (i, j)));
                }
            }
        }

        var written = await InsertResultsAsync(s, toWrite.Values.Select(w => (w.HandOut, w.Result))).ConfigureAwait(false);
        foreach (var cellId in written)
        {
            var result = toWrite[cellId].Result;
            stored[cellId] = (ResultStatusNames.ToName(result.Status), result.MetricsJson);
        }

        var lost = toWrite.Keys.Where(c => !written.Contains(c)).ToList();
        if (lost.Count > 0)
        {
            // Another transaction wrote these cells after the read above (it waited for it to commit, then yielded):
            // its results are the first, and ours only compared with them.
            foreach (var (cellId, status, metricsJson) in await s.QueryAsync<(string CellId, string Status, string MetricsJson)>(
                $"SELECT cell_id, status, metrics_json FROM results WHERE {d.IsIn("cell_id", "@cellIds")}", new { cellIds = d.List(lost) }).ConfigureAwait(false))
            {
                stored[cellId] = (status, metricsJson);
            }
        }

        var marked = await MarkDoneAsync(
            s,
            units.DistinctBy(u => u.HandOut.UnitId, StringComparer.Ordinal).Select(u => (u.HandOut, u.Results.Sum(r => r.DurationSeconds)))).ConfigureAwait(false);

        var outcomes = new List<CompletionOutcome>(units.Count);
        var mismatches = new List<(UnitLease HandOut, StoredResult Result, (string Status, string MetricsJson) First)>();
        var journal = new List<JournalLine>();
        var completed = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < units.Count; i++)
        {
            var (handOut, results) = units[i];
            string sweepId = locked[handOut.UnitId].SweepId;
            int writtenHere = 0;
            int mismatchesHere = 0;

            // Cell id order, the order the results were inserted in, so that the journal reads the same way.
            foreach (var (result, j) in results.Select((r, j) => (r, j)).OrderBy(x => x.r.CellId, StringComparer.Ordinal))
            {
                if (written.Contains(result.CellId) && toWrite[result.CellId].Place == (i, j))
                {
                    writtenHere++;
                    continue;
                }

                if (!stored.TryGetValue(result.CellId, out var first))
                {
                    throw new InvalidOperationException($"the result of cell {result.CellId} vanished inside a transaction");
                }

                // Metrics JSON is canonical (MetricsJson writes the same bytes for the same numbers), so text
                // equality is result equality.
                string status = ResultStatusNames.ToName(result.Status);
                if (first.Status != status || first.MetricsJson != result.MetricsJson)
                {
                    mismatchesHere++;
                    mismatches.Add((handOut, result, first));
                    journal.Add(new JournalLine(JournalEventKinds.NonDeterminism, sweepId, handOut.UnitId, handOut.NodeId, handOut.Attempt,
                        Invariant($"cell={result.CellId} first_status={first.Status} second_status={status}")));
                }
            }

            // A unit listed twice is completed by its first listing; the second finds it done.
            var outcome = marked.Contains(handOut.UnitId) && completed.Add(handOut.UnitId) ? CompletionStatus.Completed : CompletionStatus.AlreadyDone;
            journal.Add(new JournalLine(outcome == CompletionStatus.Completed ? JournalEventKinds.UnitCompleted : JournalEventKinds.UnitDuplicate,
                sweepId, handOut.UnitId, handOut.NodeId, handOut.Attempt, Invariant($"results={results.Count} written={writtenHere} mismatches={mismatchesHere}")));
            outcomes.Add(new CompletionOutcome(outcome, writtenHere, mismatchesHere));
        }

        await RecordMismatchesAsync(s, mismatches).ConfigureAwait(false);
        await JournalAsync(s, journal).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>
    /// Checkpoint: once the transaction commits, these results survive any crash. Inserted in cell id order, as
    /// every commit inserts (and so locks) them: two commits that share cells (units of two sweeps over the same
    /// cells) then queue on the first shared cell instead of deadlocking. A cell written meanwhile by another
    /// transaction is skipped (its insert waits for that one, then yields). Returns the cells written.
    /// </summary>
    private static async Task<HashSet<string>> InsertResultsAsync(SqlSession s, IEnumerable<(UnitLease HandOut, StoredResult Result)> results)
    {
        var ordered = results.OrderBy(r => r.Result.CellId, StringComparer.Ordinal).ToList();
        var d = s.Dialect;
        var rows = new RowList("r")
            .Column("cell_id", ordered.Select(r => r.Result.CellId))
            .Column("status", ordered.Select(r => ResultStatusNames.ToName(r.Result.Status)))
            .Column("metrics_json", ordered.Select(r => r.Result.MetricsJson))
            .Column("message", ordered.Select(r => r.Result.Message))
            .Column("duration_s", ordered.Select(r => r.Result.DurationSeconds))
            .Column("unit_id", ordered.Select(r => r.HandOut.UnitId))
            .Column("node_id", ordered.Select(r => r.HandOut.NodeId))
            .Column("attempt", ordered.Select(r => r.HandOut.Attempt));
        return (await d.QueryAsync<string>(s, $"""
            INSERT INTO results (cell_id, status, metrics_json, message, duration_s, unit_id, node_id, attempt, created_at)
            SELECT r.cell_id, r.status, r.metrics_json, r.message, r.duration_s, r.unit_id, r.node_id, r.attempt, @now
            FROM {d.From(rows)} WHERE true
            ON CONFLICT (cell_id) DO NOTHING
            RETURNING cell_id
            """,
            rows, new { now = s.Now }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Marks the units (listed once each) done with the node and attempt that computed them and the seconds their
    /// computation took, unless they already are; returns those it marked. The attempt only rises, so a fencing token
    /// handed out before is never repeated.
    /// </summary>
    private static async Task<HashSet<string>> MarkDoneAsync(SqlSession s, IEnumerable<(UnitLease HandOut, double ComputeSeconds)> units)
    {
        var d = s.Dialect;
        // HandOutRows lists units in id order; the units here are distinct, so the times line up in the same order.
        var ordered = units.OrderBy(u => u.HandOut.UnitId, StringComparer.Ordinal).ToList();
        var rows = HandOutRows(ordered.Select(u => u.HandOut)).Column("compute_s", ordered.Select(u => u.ComputeSeconds));
        return (await d.QueryAsync<string>(s, $"""
            UPDATE units
            SET state = @done, owner = h.node_id, attempts = {d.Greatest("attempts", "h.attempt")}, lease_expires_at = NULL,
                started_at = coalesce(started_at, @now), finished_at = @now, compute_s = h.compute_s
            FROM {d.From(rows)}
            WHERE units.id = h.unit_id AND units.state <> @done
            RETURNING units.id
            """,
            rows, new { done = UnitStates.Done, now = s.Now }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Records each result that differed from the stored one, in one statement where the database takes row lists.</summary>
    private static Task<int> RecordMismatchesAsync(SqlSession s, IReadOnlyList<(UnitLease HandOut, StoredResult Result, (string Status, string MetricsJson) First)> mismatches)
    {
        var d = s.Dialect;
        var rows = new RowList("n")
            .Column("cell_id", mismatches.Select(m => m.Result.CellId))
            .Column("unit_id", mismatches.Select(m => m.HandOut.UnitId))
            .Column("node_id", mismatches.Select(m => m.HandOut.NodeId))
            .Column("attempt", mismatches.Select(m => m.HandOut.Attempt))
            .Column("first_status", mismatches.Select(m => m.First.Status))
            .Column("first_json", mismatches.Select(m => m.First.MetricsJson))
            .Column("second_status", mismatches.Select(m => ResultStatusNames.ToName(m.Result.Status)))
            .Column("second_json", mismatches.Select(m => m.Result.MetricsJson));
        return d.ExecuteAsync(s, $"""
            INSERT INTO nondeterminism (cell_id, unit_id, node_id, attempt, first_status, first_json, second_status, second_json, at)
            SELECT n.cell_id, n.unit_id, n.node_id, n.attempt, n.first_status, n.first_json, n.second_status, n.second_json, @now
            FROM {d.From(rows)}
            """,
            rows, new { now = s.Now });
    }
}
