using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Sql;

/// <summary>Results: committing a unit's results (the checkpoint), and reading them back with the cells and any non-determinism.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Results must belong to the unit's cells: a result for another cell is a caller bug and is refused
    /// (<see cref="ArgumentException"/>), as is an unknown unit (<see cref="InvalidOperationException"/>). The
    /// unit is marked done whatever its state unless it already is, pending and failed included.
    /// </remarks>
    public Task<CompletionOutcome> CommitUnitAsync(UnitLease handOut, IReadOnlyList<StoredResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOut);
        ArgumentNullException.ThrowIfNull(results);

        // Cell id order is the order every commit inserts (and so locks) results in: two commits that share cells
        // (units of two sweeps over the same cells) then queue on the first shared cell instead of deadlocking.
        var ordered = results.OrderBy(r => r.CellId, StringComparer.Ordinal).ToList();
        return WriteAsync(s => CommitAsync(s, handOut, ordered), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> FindCompletedCellsAsync(IReadOnlyCollection<string> cellIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cellIds);
        if (cellIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return await ReadAsync<IReadOnlySet<string>>(async s =>
        {
            var found = await s.QueryAsync<string>(
                $"SELECT cell_id FROM results WHERE {s.Dialect.IsIn("cell_id", "@ids")}", new { ids = s.Dialect.List(cellIds) }).ConfigureAwait(false);
            return found.ToHashSet(StringComparer.Ordinal);
        }, cancellationToken).ConfigureAwait(false);
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
        return ReadAsync<IReadOnlyList<CellRecord>>(async s =>
        {
            var rows = await s.QueryAsync<CellResultRow>("""
                SELECT c.id AS CellId, c.params AS Params, r.status AS Status, r.metrics_json AS MetricsJson,
                       r.message AS Message, r.duration_s AS DurationSeconds
                FROM sweep_cells sc
                JOIN cells c ON c.id = sc.cell_id
                LEFT JOIN results r ON r.cell_id = sc.cell_id
                WHERE sc.sweep_id = @sweepId
                ORDER BY sc.cell_id
                """,
                new { sweepId }).ConfigureAwait(false);
            return rows.Select(r => new CellRecord(
                StoreValidation.ParseCell(r.CellId, r.Params),
                r.Status is null ? null : new StoredResult(r.CellId, ResultStatusNames.Parse(r.Status), r.MetricsJson ?? "", r.Message, r.DurationSeconds ?? 0.0))).ToList();
        }, cancellationToken);
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
    /// The body of <see cref="CommitUnitAsync"/>: locks the unit, checks and writes the results (insert-if-absent,
    /// differences recorded as non-determinism), marks the unit done unless it already is, and journals the outcome.
    /// </summary>
    private async Task<CompletionOutcome> CommitAsync(SqlSession s, UnitLease handOut, List<StoredResult> results)
    {
        var unit = await LockUnitAsync(s, handOut.UnitId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cannot complete unit {handOut.UnitId}: the store {Description} has no such unit");
        var unitCells = (await s.QueryAsync<string>("SELECT cell_id FROM unit_cells WHERE unit_id = @id", new { id = unit.Id }).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        if (results.FirstOrDefault(r => !unitCells.Contains(r.CellId)) is { } stray)
        {
            throw new ArgumentException($"cell {stray.CellId} is not a cell of unit {unit.Id}", nameof(results));
        }

        // Checkpoint: once this transaction commits, these results survive any crash. The first result of a
        // cell wins (a concurrent insert of the same cell waits for the other transaction, then yields to it);
        // a later one is only compared with it.
        var d = s.Dialect;
        var resultRows = new RowList("r")
            .Column("cell_id", results.Select(r => r.CellId))
            .Column("status", results.Select(r => ResultStatusNames.ToName(r.Status)))
            .Column("metrics_json", results.Select(r => r.MetricsJson))
            .Column("message", results.Select(r => r.Message))
            .Column("duration_s", results.Select(r => r.DurationSeconds));
        var inserted = (await d.QueryAsync<string>(s, $"""
            INSERT INTO results (cell_id, status, metrics_json, message, duration_s, unit_id, node_id, attempt, created_at)
            SELECT r.cell_id, r.status, r.metrics_json, r.message, r.duration_s, @unitId, @nodeId, @attempt, @now
            FROM {d.From(resultRows)} WHERE true
            ON CONFLICT (cell_id) DO NOTHING
            RETURNING cell_id
            """,
            resultRows, new { unitId = unit.Id, nodeId = handOut.NodeId, attempt = handOut.Attempt, now = s.Now }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

        // A result counts as written once per inserted cell; every other one (a cell stored before, or a
        // second result for the same cell in this list) is compared with the stored one.
        var firstOccurrence = new HashSet<string>(StringComparer.Ordinal);
        var compared = results.Where(r => !(inserted.Contains(r.CellId) && firstOccurrence.Add(r.CellId))).ToList();
        int mismatches = compared.Count == 0 ? 0 : await RecordMismatchesAsync(s, unit, handOut, compared).ConfigureAwait(false);
        int written = inserted.Count;

        // The attempt only rises, so a fencing token handed out before is never repeated.
        int marked = await s.ExecuteAsync($"""
            UPDATE units
            SET state = @done, owner = @owner, attempts = {d.Greatest("attempts", "@attempt")}, lease_expires_at = NULL,
                started_at = coalesce(started_at, @now), finished_at = @now
            WHERE id = @id AND state <> @done
            """,
            new { id = unit.Id, done = UnitStates.Done, owner = handOut.NodeId, attempt = handOut.Attempt, now = s.Now }).ConfigureAwait(false);
        var outcome = marked == 1 ? CompletionStatus.Completed : CompletionStatus.AlreadyDone;
        await JournalAsync(s, outcome == CompletionStatus.Completed ? JournalEventKinds.UnitCompleted : JournalEventKinds.UnitDuplicate,
            unit.SweepId, unit.Id, handOut.NodeId, handOut.Attempt, Invariant($"results={results.Count} written={written} mismatches={mismatches}")).ConfigureAwait(false);
        return new CompletionOutcome(outcome, written, mismatches);
    }

    /// <summary>Compares results that were not inserted with the stored ones; records and journals each difference. Returns how many differed.</summary>
    private static async Task<int> RecordMismatchesAsync(SqlSession s, UnitRow unit, UnitLease handOut, IReadOnlyList<StoredResult> compared)
    {
        var stored = (await s.QueryAsync<(string CellId, string Status, string MetricsJson)>(
                $"SELECT cell_id, status, metrics_json FROM results WHERE {s.Dialect.IsIn("cell_id", "@cellIds")}",
                new { cellIds = s.Dialect.List(compared.Select(r => r.CellId).Distinct(StringComparer.Ordinal)) }).ConfigureAwait(false))
            .ToDictionary(r => r.CellId, r => (r.Status, r.MetricsJson), StringComparer.Ordinal);
        int mismatches = 0;
        foreach (var result in compared)
        {
            if (!stored.TryGetValue(result.CellId, out var first))
            {
                throw new InvalidOperationException($"the result of cell {result.CellId} vanished inside a transaction");
            }

            // Metrics JSON is canonical (MetricsJson writes the same bytes for the same numbers), so text
            // equality is result equality.
            string status = ResultStatusNames.ToName(result.Status);
            if (first.Status == status && first.MetricsJson == result.MetricsJson)
            {
                continue;
            }

            mismatches++;
            await s.ExecuteAsync("""
                INSERT INTO nondeterminism (cell_id, unit_id, node_id, attempt, first_status, first_json, second_status, second_json, at)
                VALUES (@cellId, @unitId, @nodeId, @attempt, @firstStatus, @firstJson, @secondStatus, @secondJson, @now)
                """,
                new { cellId = result.CellId, unitId = unit.Id, nodeId = handOut.NodeId, attempt = handOut.Attempt, firstStatus = first.Status, firstJson = first.MetricsJson, secondStatus = status, secondJson = result.MetricsJson, now = s.Now }).ConfigureAwait(false);
            await JournalAsync(s, JournalEventKinds.NonDeterminism, unit.SweepId, unit.Id, handOut.NodeId, handOut.Attempt,
                Invariant($"cell={result.CellId} first_status={first.Status} second_status={status}")).ConfigureAwait(false);
        }

        return mismatches;
    }
}
