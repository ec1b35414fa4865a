using System.Runtime.CompilerServices;
using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Sql;

/// <summary>Units as workers see them: loading, starting and failing hand-outs, and their run metadata.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The units come back in the order of <paramref name="unitIds"/> (each once), read in two queries whatever
    /// their number. The common case only reads; a unit whose stored cells cannot be rebuilt (another model
    /// version, or edited by hand) is failed with the reason in a write afterwards, unless it is done: its results
    /// are stored, so it stays done and is only left out.
    /// </remarks>
    public async Task<IReadOnlyList<StoredUnit>> LoadUnitsAsync(IReadOnlyCollection<string> unitIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unitIds);
        if (unitIds.Count == 0)
        {
            return [];
        }

        string[] requested = [.. unitIds.Distinct(StringComparer.Ordinal)];
        var (loaded, unreadable) = await ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<UnitRow>($"""
                SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, attempts AS Attempts
                FROM units
                WHERE {s.Dialect.IsIn("id", "@ids")}
                """,
                new { ids = s.Dialect.List(requested) }).ConfigureAwait(false);
            var units = new Dictionary<string, StoredUnit>(rows.Count, StringComparer.Ordinal);
            var failures = new List<(UnitRow Unit, string Reason)>();
            var cellsByUnit = rows.Count == 0 ? [] : await LoadCellsAsync(s, rows).ConfigureAwait(false);
            foreach (var unit in rows)
            {
                try
                {
                    var cells = cellsByUnit[unit.Id].Select(r => StoreValidation.ParseCell(r.CellId, r.Params)).ToList();
                    units[unit.Id] = new StoredUnit(unit.Id, unit.SweepId, UnitKindNames.Parse(unit.Kind), cells, unit.Cost, unit.State == UnitStates.Done);
                }
                catch (FormatException e) when (unit.State != UnitStates.Done)
                {
                    failures.Add((unit, e.Message));
                }
                catch (FormatException)
                {
                    // Done, so nothing is left to compute: leave it out, and leave it done.
                }
            }

            return (units, failures);
        }, cancellationToken).ConfigureAwait(false);

        if (unreadable.Count > 0)
        {
            // Guarded by the state and attempts read above: a unit that changed meanwhile is left alone.
            await WriteAsync(async s =>
            {
                foreach (var (unit, reason) in unreadable)
                {
                    await FailUnreadableUnitAsync(s, unit, reason).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        return requested.Where(loaded.ContainsKey).Select(id => loaded[id]).ToList();
    }

    /// <inheritdoc />
    /// <remarks>One statement for all of them on PostgreSQL; a unit listed twice counts as listed last.</remarks>
    public Task MarkUnitsStartedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOuts);
        if (handOuts.Count == 0)
        {
            return Task.CompletedTask;
        }

        var rows = HandOutRows(handOuts);
        return WriteAsync(s => s.Dialect.ExecuteAsync(s, $"""
            UPDATE units
            SET state = @leased, owner = h.node_id, attempts = {s.Dialect.Greatest("attempts", "h.attempt")}, lease_expires_at = NULL, started_at = @now
            FROM {s.Dialect.From(rows)}
            WHERE units.id = h.unit_id AND units.state IN (@pending, @leased)
            """,
            rows, new { leased = UnitStates.Leased, pending = UnitStates.Pending, now = s.Now }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One statement for all of them on PostgreSQL; a unit listed twice counts as listed last.</remarks>
    public Task MarkUnitsReturnedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOuts);
        if (handOuts.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Owner and attempt fence the write: the coordinator may have handed the unit out again already.
        var rows = HandOutRows(handOuts);
        return WriteAsync(s => s.Dialect.ExecuteAsync(s, $"""
            UPDATE units
            SET state = @pending, owner = NULL, started_at = NULL
            FROM {s.Dialect.From(rows)}
            WHERE units.id = h.unit_id AND units.state = @leased AND units.owner = h.node_id AND units.attempts = h.attempt
            """,
            rows, new { leased = UnitStates.Leased, pending = UnitStates.Pending }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A unit that is already failed keeps its first reason, and a repeated call changes nothing and journals
    /// nothing (the coordinator may say it twice). Throws <see cref="InvalidOperationException"/> for a unit
    /// the store does not hold, like <see cref="CommitUnitAsync"/>.
    /// </remarks>
    public Task MarkUnitFailedAsync(UnitLease handOut, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOut);
        ArgumentNullException.ThrowIfNull(reason);
        return WriteAsync(async s =>
        {
            var unit = await LockUnitAsync(s, handOut.UnitId).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"cannot fail unit {handOut.UnitId}: the store {Description} has no such unit");

            // Done is final: its results are stored, and failing it would only make retry-failed compute it again.
            int failed = await s.ExecuteAsync($"""
                UPDATE units
                SET state = @failed, owner = NULL, lease_expires_at = NULL, last_error = @reason, finished_at = @now,
                    attempts = {s.Dialect.Greatest("attempts", "@attempt")}
                WHERE id = @id AND state IN (@pending, @leased)
                """,
                new { id = unit.Id, failed = UnitStates.Failed, reason, now = s.Now, attempt = handOut.Attempt, pending = UnitStates.Pending, leased = UnitStates.Leased }).ConfigureAwait(false);
            if (failed == 1)
            {
                await JournalAsync(s, JournalEventKinds.UnitFailed, unit.SweepId, unit.Id, handOut.NodeId, handOut.Attempt, reason).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ordered by unit id. <see cref="UnitRecord.Attempts"/> is the highest attempt handed out.</remarks>
    public Task<IReadOnlyList<UnitRecord>> GetUnitsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync(s => UnitPageAsync(s, sweepId, string.Empty, int.MaxValue), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Keyset pages (unit id after the last one read), each its own read transaction.</remarks>
    public async IAsyncEnumerable<UnitRecord> ReadUnitsAsync(string sweepId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        string after = string.Empty;
        while (true)
        {
            string from = after;
            var page = await ReadAsync(s => UnitPageAsync(s, sweepId, from, ReadPageRows), cancellationToken, nameof(ReadUnitsAsync)).ConfigureAwait(false);
            foreach (var unit in page)
            {
                yield return unit;
            }

            if (page.Count < ReadPageRows)
            {
                yield break;
            }

            after = page[^1].UnitId;
        }
    }

    private static async Task<IReadOnlyList<UnitRecord>> UnitPageAsync(SqlSession s, string sweepId, string after, int limit)
    {
        var rows = await s.QueryAsync<UnitRow>("""
            SELECT u.id AS Id, u.kind AS Kind, u.cost AS Cost, u.state AS State, u.owner AS Owner, u.attempts AS Attempts,
                   u.last_error AS LastError, u.started_at AS StartedAt, u.finished_at AS FinishedAt,
                   (SELECT count(*) FROM unit_cells uc WHERE uc.unit_id = u.id) AS Cells
            FROM units u
            WHERE u.sweep_id = @sweepId AND u.id > @after
            ORDER BY u.id
            LIMIT @limit
            """,
            new { sweepId, after, limit }).ConfigureAwait(false);
        return rows.Select(u => new UnitRecord(u.Id, UnitKindNames.Parse(u.Kind), u.State, u.Owner, u.Attempts, u.LastError, u.StartedAt, u.FinishedAt, u.Cost, u.Cells)).ToList();
    }

    /// <summary>
    /// One unit, locked where the database locks rows: a commit or a failure decides from what it reads here, so
    /// no other writer may change the unit before this transaction ends. Null for an unknown unit.
    /// </summary>
    private static Task<UnitRow?> LockUnitAsync(SqlSession s, string unitId) =>
        s.QuerySingleOrDefaultAsync<UnitRow>($"""
            SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, owner AS Owner,
                   attempts AS Attempts, last_error AS LastError, started_at AS StartedAt, finished_at AS FinishedAt
            FROM units
            WHERE id = @id
            {s.Dialect.ForUpdate}
            """,
            new { id = unitId });

    /// <summary>
    /// Hand-outs as the rows <c>h (unit_id, node_id, attempt)</c>, one per unit (the last listing) and in unit id
    /// order, the order commits lock units in: an UPDATE joined to them changes each unit once and, where it
    /// follows the list, queues behind a commit of the same units instead of deadlocking with it.
    /// </summary>
    private static RowList HandOutRows(IEnumerable<UnitLease> handOuts)
    {
        var last = handOuts.Reverse().DistinctBy(h => h.UnitId, StringComparer.Ordinal).OrderBy(h => h.UnitId, StringComparer.Ordinal).ToList();
        return new RowList("h")
            .Column("unit_id", last.Select(h => h.UnitId))
            .Column("node_id", last.Select(h => h.NodeId))
            .Column("attempt", last.Select(h => h.Attempt));
    }

    /// <summary>The stored cells of <paramref name="units"/>, by unit id and in cell id order.</summary>
    private static async Task<Dictionary<string, List<(string CellId, string Params)>>> LoadCellsAsync(SqlSession s, IReadOnlyList<UnitRow> units)
    {
        var rows = await s.QueryAsync<(string UnitId, string CellId, string Params)>($"""
            SELECT uc.unit_id, c.id, c.params
            FROM unit_cells uc
            JOIN cells c ON c.id = uc.cell_id
            WHERE {s.Dialect.IsIn("uc.unit_id", "@unitIds")}
            ORDER BY uc.unit_id, uc.cell_id
            """,
            new { unitIds = s.Dialect.List(units.Select(u => u.Id)) }).ConfigureAwait(false);
        var byUnit = units.ToDictionary(u => u.Id, _ => new List<(string CellId, string Params)>(), StringComparer.Ordinal);
        foreach (var (unitId, cellId, parameters) in rows)
        {
            byUnit[unitId].Add((cellId, parameters));
        }

        return byUnit;
    }

    private static async Task FailUnreadableUnitAsync(SqlSession s, UnitRow unit, string reason)
    {
        int failed = await s.ExecuteAsync("""
            UPDATE units SET state = @failed, lease_expires_at = NULL, last_error = @reason, finished_at = @now
            WHERE id = @id AND state = @oldState AND attempts = @oldAttempts
            """,
            new { id = unit.Id, failed = UnitStates.Failed, reason, now = s.Now, oldState = unit.State, oldAttempts = unit.Attempts }).ConfigureAwait(false);
        if (failed == 1)
        {
            await JournalAsync(s, JournalEventKinds.UnitFailed, unit.SweepId, unit.Id, null, unit.Attempts, reason).ConfigureAwait(false);
        }
    }
}
