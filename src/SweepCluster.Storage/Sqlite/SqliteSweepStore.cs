using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, for <c>sweep run</c> on one machine. Every method is
/// one transaction and every time is the database's clock. SQLite has one writer per file, so this
/// store serves the processes of one machine; a cluster needs the PostgreSQL store and its row locks.
/// </summary>
/// <remarks>
/// Unit states are text (<see cref="UnitStates"/>) and every transition is an UPDATE guarded by the state
/// it leaves; the number of rows it changed is the answer. Where the guard re-checks a row read earlier in
/// the same transaction it cannot fail, since the transaction holds the write lock from its first statement;
/// it stays so that each UPDATE is correct on its own.
/// </remarks>
public sealed class SqliteSweepStore : ISweepStore
{
    private const string UnitByIdSql = """
        SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, owner AS Owner,
               attempts AS Attempts, last_error AS LastError,
               started_at AS StartedAt, finished_at AS FinishedAt
        FROM units
        WHERE id = @id
        """;

    private readonly string _connectionString;

    // SQLite allows one writing transaction per file at a time. If two connections of this process both
    // BEGIN IMMEDIATE, the second gets SQLITE_BUSY and SQLite's busy handler sleeps and polls until the lock
    // frees: milliseconds lost per meeting, no fairness, and a pool thread blocked meanwhile. Queueing this
    // process's writers here instead hands the lock to the next one as soon as it is free, without polling
    // and without blocking a thread. The busy timeout still covers writers in other processes on the same
    // file (a second `sweep run`, say). Reads skip the gate: in WAL mode they read a snapshot, neither
    // waiting for the writer nor blocking it.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private volatile bool _disposed;

    private SqliteSweepStore(string fullPath)
    {
        FullPath = fullPath;
        Description = "sqlite:" + fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The database file.</summary>
    public string FullPath { get; }

    /// <summary>
    /// A store over the SQLite file at <paramref name="path"/>; its folders are created if missing, the file
    /// on first use. Call <see cref="MigrateAsync"/> before anything else.
    /// </summary>
    public static SqliteSweepStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new SqliteSweepStore(fullPath);
    }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // WAL lets readers work beside the writer. The mode is kept in the file, but it cannot be changed
            // inside a transaction, so it is set here, before the migration transaction.
            await using (var connection = await SqliteSession.OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var session = await SqliteSession.BeginAsync(_connectionString, write: true, cancellationToken).ConfigureAwait(false);
            await SqliteSchemaMigrator.MigrateAsync(session, Description).ConfigureAwait(false);
            session.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="SubmitOutcome.NewCells"/> counts cells new to the store (a cell another sweep already
    /// holds is shared, not new); <see cref="SubmitOutcome.TotalCells"/> counts the sweep's cells after the
    /// submit. New units reopen a finished sweep.
    /// </remarks>
    public Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(units);
        StoreValidation.ValidateSubmission(sweep, units);
        return WriteAsync(async s =>
        {
            var existing = await s.QuerySingleOrDefaultAsync<SweepRow>(
                "SELECT id AS Id, grid_hash AS GridHash, grid_text AS GridText FROM sweeps WHERE id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            if (existing is null)
            {
                await s.ExecuteAsync(
                    "INSERT INTO sweeps (id, grid_hash, grid_text, created_at) VALUES (@id, @gridHash, @gridText, @now)",
                    new { id = sweep.Id, gridHash = sweep.GridHash, gridText = sweep.GridText, now = s.Now }).ConfigureAwait(false);
            }
            else if (existing.GridHash != sweep.GridHash || existing.GridText != sweep.GridText)
            {
                await s.ExecuteAsync(
                    "UPDATE sweeps SET grid_hash = @gridHash, grid_text = @gridText WHERE id = @id",
                    new { id = sweep.Id, gridHash = sweep.GridHash, gridText = sweep.GridText }).ConfigureAwait(false);
            }

            // Dapper runs a statement once per element of a list parameter and sums the changed rows.
            int newCells = await s.ExecuteAsync(
                "INSERT INTO cells (id, kind, group_key, params) VALUES (@id, @kind, @groupKey, @params) ON CONFLICT (id) DO NOTHING",
                sweep.Cells.Select(c => new { id = c.Id, kind = CellKindNames.ToName(c.Kind), groupKey = c.GroupKey, @params = c.CanonicalParameters }).ToList()).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO sweep_cells (sweep_id, cell_id) VALUES (@sweepId, @cellId) ON CONFLICT DO NOTHING",
                sweep.Cells.Select(c => new { sweepId = sweep.Id, cellId = c.Id }).ToList()).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO spectra (hash, text) VALUES (@hash, @text) ON CONFLICT (hash) DO NOTHING",
                sweep.Spectra.Select(p => new { hash = p.Key, text = p.Value }).ToList()).ConfigureAwait(false);

            int newUnits = 0;
            foreach (var unit in units)
            {
                int inserted = await s.ExecuteAsync("""
                    INSERT INTO units (id, sweep_id, kind, group_key, cost, state, created_at)
                    VALUES (@id, @sweepId, @kind, @groupKey, @cost, @pending, @now)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    new { id = unit.Id, sweepId = unit.SweepId, kind = UnitKindNames.ToName(unit.Kind), groupKey = unit.GroupKey, cost = unit.Cost, pending = UnitStates.Pending, now = s.Now }).ConfigureAwait(false);
                if (inserted == 1)
                {
                    // A unit's id hashes its cells, so an existing unit already has exactly these.
                    await s.ExecuteAsync(
                        "INSERT INTO unit_cells (unit_id, cell_id) VALUES (@unitId, @cellId)",
                        unit.CellIds.Select(c => new { unitId = unit.Id, cellId = c }).ToList()).ConfigureAwait(false);
                    newUnits++;
                }
            }

            if (newUnits > 0)
            {
                await s.ExecuteAsync("UPDATE sweeps SET finished_at = NULL WHERE id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            }

            long totalCells = await s.ScalarAsync<long>("SELECT count(*) FROM sweep_cells WHERE sweep_id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            await JournalAsync(s, JournalEventKinds.SweepSubmitted, sweep.Id, null, null, null,
                Invariant($"cells={totalCells} new_cells={newCells} units={units.Count} new_units={newUnits}")).ConfigureAwait(false);
            return new SubmitOutcome(existing is null, newCells, newUnits, (int)totalCells);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> FindCompletedCellsAsync(IReadOnlyCollection<string> cellIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cellIds);
        if (cellIds.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        // One JSON array parameter instead of one parameter per id: no limit on the number of ids.
        string ids = JsonSerializer.Serialize(cellIds);
        return await ReadAsync<IReadOnlySet<string>>(async s =>
        {
            var found = await s.QueryAsync<string>(
                "SELECT cell_id FROM results WHERE cell_id IN (SELECT value FROM json_each(@ids))", new { ids }).ConfigureAwait(false);
            return found.ToHashSet(StringComparer.Ordinal);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The units come back in the order of <paramref name="unitIds"/> (each once). The common case only reads;
    /// a unit whose stored cells cannot be rebuilt (another model version, or edited by hand) is failed with the
    /// reason in a write afterwards, unless it is done: its results are stored, so
    /// it stays done and is only left out.
    /// </remarks>
    public async Task<IReadOnlyList<StoredUnit>> LoadUnitsAsync(IReadOnlyCollection<string> unitIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unitIds);
        if (unitIds.Count == 0)
        {
            return [];
        }

        var requested = unitIds.Distinct(StringComparer.Ordinal).ToList();
        string ids = JsonSerializer.Serialize(requested);
        var (loaded, unreadable) = await ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<UnitRow>("""
                SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, attempts AS Attempts
                FROM units
                WHERE id IN (SELECT value FROM json_each(@ids))
                """,
                new { ids }).ConfigureAwait(false);
            var units = new Dictionary<string, StoredUnit>(rows.Count, StringComparer.Ordinal);
            var failures = new List<(UnitRow Unit, string Reason)>();
            foreach (var unit in rows)
            {
                // SQLite runs in this process: a query per unit costs no round trip, so each unit's cells are read on their own.
                try
                {
                    var cells = await LoadCellsAsync(s, unit.Id).ConfigureAwait(false);
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

                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }

        return requested.Where(loaded.ContainsKey).Select(id => loaded[id]).ToList();
    }

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
        return WriteAsync(s => WriteResultsAndFinishAsync(s, handOut, results, FinishHandedOutUnitAsync), cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkUnitsStartedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOuts);
        if (handOuts.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async s =>
        {
            foreach (var handOut in handOuts)
            {
                await s.ExecuteAsync("""
                    UPDATE units
                    SET state = @leased, owner = @owner, attempts = max(attempts, @attempt), lease_expires_at = NULL, started_at = @now
                    WHERE id = @id AND state IN (@pending, @leased)
                    """,
                    new { id = handOut.UnitId, leased = UnitStates.Leased, pending = UnitStates.Pending, owner = handOut.NodeId, attempt = handOut.Attempt, now = s.Now }).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
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
            var unit = await s.QuerySingleOrDefaultAsync<UnitRow>(UnitByIdSql, new { id = handOut.UnitId }).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"cannot fail unit {handOut.UnitId}: the store {Description} has no such unit");

            // Done is final: its results are stored, and failing it would only make retry-failed compute it again.
            int failed = await s.ExecuteAsync("""
                UPDATE units
                SET state = @failed, owner = NULL, lease_expires_at = NULL, last_error = @reason, finished_at = @now,
                    attempts = max(attempts, @attempt)
                WHERE id = @id AND state IN (@pending, @leased)
                """,
                new { id = unit.Id, failed = UnitStates.Failed, reason, now = s.Now, attempt = handOut.Attempt, pending = UnitStates.Pending, leased = UnitStates.Leased }).ConfigureAwait(false);
            if (failed == 1)
            {
                await JournalAsync(s, JournalEventKinds.UnitFailed, unit.SweepId, unit.Id, handOut.NodeId, handOut.Attempt, reason).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The attempt counter itself keeps growing (it is part of the fencing token, which must never repeat);
    /// the fresh budget comes from counting the attempt limit from here. Reopens a finished sweep.
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
                       s.finished_at IS NOT NULL AS Finished,
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
    public Task PublishMemberAsync(MemberReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.Address);
        return WriteAsync(async s =>
        {
            await s.ExecuteAsync("""
                INSERT INTO cluster_members (address, node_id, roles, status, unreachable, slots, units_done, cells_done, started_at, refreshed_at)
                VALUES (@Address, @NodeId, @roles, @Status, @unreachable, @Slots, @UnitsDone, @CellsDone, @now, @now)
                ON CONFLICT (address) DO UPDATE SET
                    node_id = excluded.node_id, roles = excluded.roles, status = excluded.status, unreachable = excluded.unreachable,
                    slots = excluded.slots, units_done = excluded.units_done, cells_done = excluded.cells_done,
                    refreshed_at = excluded.refreshed_at
                """,
                new { report.Address, report.NodeId, roles = MemberRow.Join(report.Roles), report.Status, unreachable = MemberRow.Join(report.Unreachable), report.Slots, report.UnitsDone, report.CellsDone, now = s.Now }).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cluster_members WHERE refreshed_at < @forgotten", new { forgotten = s.Now - 86400.0 }).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemberRecord>> ListMembersAsync(TimeSpan forgetAfter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(forgetAfter, TimeSpan.Zero);
        return ReadAsync<IReadOnlyList<MemberRecord>>(async s =>
        {
            var rows = await s.QueryAsync<MemberRow>("""
                SELECT address AS Address, node_id AS NodeId, roles AS Roles, status AS Status, unreachable AS Unreachable,
                       slots AS Slots, units_done AS UnitsDone, cells_done AS CellsDone, started_at AS StartedAt,
                       @now - refreshed_at AS Age
                FROM cluster_members
                WHERE refreshed_at >= @since
                ORDER BY address
                """,
                new { now = s.Now, since = s.Now - forgetAfter.TotalSeconds }).ConfigureAwait(false);
            return rows.Select(r => r.ToRecord()).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveMemberAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return WriteAsync(async s =>
        {
            await s.ExecuteAsync("DELETE FROM cluster_members WHERE address = @address", new { address }).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A refresh keeps the first publication time (the listing order) and takes the new role.</remarks>
    public Task PublishSeedAsync(string address, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(role);
        return WriteAsync(async s =>
        {
            await s.ExecuteAsync("""
                INSERT INTO cluster_seeds (address, role, published_at, refreshed_at)
                VALUES (@address, @role, @now, @now)
                ON CONFLICT (address) DO UPDATE SET
                    role = excluded.role,
                    refreshed_at = excluded.refreshed_at
                """,
                new { address, role, now = s.Now }).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Addresses published at the same instant come in byte order.</remarks>
    public Task<IReadOnlyList<string>> ListSeedsAsync(string role, TimeSpan aliveWithin, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentOutOfRangeException.ThrowIfLessThan(aliveWithin, TimeSpan.Zero);
        return ReadAsync<IReadOnlyList<string>>(
            s => s.QueryAsync<string>("""
                SELECT address
                FROM cluster_seeds
                WHERE role = @role AND refreshed_at >= @since
                ORDER BY published_at, address
                """,
                new { role, since = s.Now - aliveWithin.TotalSeconds }),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Removing an address that is not published does nothing.</remarks>
    public Task RemoveSeedAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return WriteAsync(s => s.ExecuteAsync("DELETE FROM cluster_seeds WHERE address = @address", new { address }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cell ids compare as bytes (ordinal). A cell whose stored parameters this program cannot rebuild (another
    /// model version) makes the call fail with a <see cref="FormatException"/> naming the cell.
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
    /// <remarks>Ordered by unit id. <see cref="UnitRecord.Attempts"/> is the highest attempt handed out.</remarks>
    public Task<IReadOnlyList<UnitRecord>> GetUnitsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync<IReadOnlyList<UnitRecord>>(async s =>
        {
            var rows = await s.QueryAsync<UnitRow>("""
                SELECT u.id AS Id, u.kind AS Kind, u.cost AS Cost, u.state AS State, u.owner AS Owner, u.attempts AS Attempts,
                       u.last_error AS LastError, u.started_at AS StartedAt, u.finished_at AS FinishedAt,
                       (SELECT count(*) FROM unit_cells uc WHERE uc.unit_id = u.id) AS Cells
                FROM units u
                WHERE u.sweep_id = @sweepId
                ORDER BY u.id
                """,
                new { sweepId }).ConfigureAwait(false);
            return rows.Select(u => new UnitRecord(u.Id, UnitKindNames.Parse(u.Kind), u.State, u.Owner, u.Attempts, u.LastError, u.StartedAt, u.FinishedAt, u.Cost, u.Cells)).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetSpectrumAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        return ReadAsync(s => s.ScalarAsync<string>("SELECT text FROM spectra WHERE hash = @contentHash", new { contentHash }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The store sets the time (database clock) and the sequence number; those of the argument are ignored.</remarks>
    public Task AppendEventAsync(JournalEvent journalEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(journalEvent);
        ArgumentException.ThrowIfNullOrEmpty(journalEvent.Kind);
        return WriteAsync(async s =>
        {
            await JournalAsync(s, journalEvent.Kind, journalEvent.SweepId, journalEvent.UnitId, journalEvent.NodeId, journalEvent.Attempt, journalEvent.Detail).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEvent>> GetEventsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync<IReadOnlyList<JournalEvent>>(async s =>
        {
            var rows = await s.QueryAsync<EventRow>("""
                SELECT seq AS Seq, at AS At, kind AS Kind, sweep_id AS SweepId, unit_id AS UnitId, node_id AS NodeId,
                       attempt AS Attempt, detail AS Detail
                FROM events
                WHERE sweep_id = @sweepId
                ORDER BY seq
                """,
                new { sweepId }).ConfigureAwait(false);
            return rows.Select(e => e.ToRecord()).ToList();
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

    /// <summary>Waits for the write in progress, then closes the pooled connections so the file is let go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        finally
        {
            // Not disposed: a call that raced with DisposeAsync may still be waiting on the gate, and it must
            // get through to its ObjectDisposedException instead of waiting forever.
            _writeGate.Release();
        }
    }

    private static async Task<IReadOnlyList<CellDefinition>> LoadCellsAsync(SqliteSession s, string unitId)
    {
        var rows = await s.QueryAsync<CellResultRow>("""
            SELECT c.id AS CellId, c.params AS Params
            FROM unit_cells uc
            JOIN cells c ON c.id = uc.cell_id
            WHERE uc.unit_id = @unitId
            ORDER BY uc.cell_id
            """,
            new { unitId }).ConfigureAwait(false);
        return rows.Select(r => StoreValidation.ParseCell(r.CellId, r.Params)).ToList();
    }

    /// <summary>
    /// The body of <see cref="CommitUnitAsync"/>: checks and writes the results
    /// (insert-if-absent, differences recorded as non-determinism), lets <paramref name="finish"/> decide the
    /// unit's state, then journals the outcome.
    /// </summary>
    private async Task<CompletionOutcome> WriteResultsAndFinishAsync(
        SqliteSession s, UnitLease lease, IReadOnlyList<StoredResult> results, Func<SqliteSession, UnitRow, UnitLease, Task<CompletionStatus>> finish)
    {
        var unit = await s.QuerySingleOrDefaultAsync<UnitRow>(UnitByIdSql, new { id = lease.UnitId }).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cannot complete unit {lease.UnitId}: the store {Description} has no such unit");
        var unitCells = (await s.QueryAsync<string>("SELECT cell_id FROM unit_cells WHERE unit_id = @id", new { id = unit.Id }).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        if (results.FirstOrDefault(r => !unitCells.Contains(r.CellId)) is { } stray)
        {
            throw new ArgumentException($"cell {stray.CellId} is not a cell of unit {unit.Id}", nameof(results));
        }

        // Checkpoint: once this transaction commits, these results survive any crash. The first result
        // of a cell wins; a later one is only compared with it.
        int written = 0;
        int mismatches = 0;
        foreach (var result in results)
        {
            string status = ResultStatusNames.ToName(result.Status);
            int inserted = await s.ExecuteAsync("""
                INSERT INTO results (cell_id, status, metrics_json, message, duration_s, unit_id, node_id, attempt, created_at)
                VALUES (@cellId, @status, @metricsJson, @message, @duration, @unitId, @nodeId, @attempt, @now)
                ON CONFLICT (cell_id) DO NOTHING
                """,
                new { cellId = result.CellId, status, metricsJson = result.MetricsJson, message = result.Message, duration = result.DurationSeconds, unitId = unit.Id, nodeId = lease.NodeId, attempt = lease.Attempt, now = s.Now }).ConfigureAwait(false);
            if (inserted == 1)
            {
                written++;
                continue;
            }

            // Metrics JSON is canonical (MetricsJson writes the same bytes for the same numbers), so text
            // equality is result equality.
            var first = await s.QuerySingleOrDefaultAsync<ResultRow>(
                "SELECT status AS Status, metrics_json AS MetricsJson FROM results WHERE cell_id = @cellId", new { cellId = result.CellId }).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the result of cell {result.CellId} vanished inside a transaction");
            if (first.Status != status || first.MetricsJson != result.MetricsJson)
            {
                mismatches++;
                await s.ExecuteAsync("""
                    INSERT INTO nondeterminism (cell_id, unit_id, node_id, attempt, first_status, first_json, second_status, second_json, at)
                    VALUES (@cellId, @unitId, @nodeId, @attempt, @firstStatus, @firstJson, @secondStatus, @secondJson, @now)
                    """,
                    new { cellId = result.CellId, unitId = unit.Id, nodeId = lease.NodeId, attempt = lease.Attempt, firstStatus = first.Status, firstJson = first.MetricsJson, secondStatus = status, secondJson = result.MetricsJson, now = s.Now }).ConfigureAwait(false);
                await JournalAsync(s, JournalEventKinds.NonDeterminism, unit.SweepId, unit.Id, lease.NodeId, lease.Attempt,
                    Invariant($"cell={result.CellId} first_status={first.Status} second_status={status}")).ConfigureAwait(false);
            }
        }

        CompletionStatus outcome = await finish(s, unit, lease).ConfigureAwait(false);
        string kind = outcome == CompletionStatus.Completed ? JournalEventKinds.UnitCompleted : JournalEventKinds.UnitDuplicate;
        await JournalAsync(s, kind, unit.SweepId, unit.Id, lease.NodeId, lease.Attempt,
            Invariant($"results={results.Count} written={written} mismatches={mismatches}")).ConfigureAwait(false);
        return new CompletionOutcome(outcome, written, mismatches);
    }

    /// <summary>
    /// A coordinator's hand-out: done by whoever computed it unless it already is. The attempt only rises, so
    /// a fencing token the store handed out before the coordinator took over is never repeated.
    /// </summary>
    private static async Task<CompletionStatus> FinishHandedOutUnitAsync(SqliteSession s, UnitRow unit, UnitLease handOut)
    {
        int marked = await s.ExecuteAsync("""
            UPDATE units
            SET state = @done, owner = @owner, attempts = max(attempts, @attempt), lease_expires_at = NULL,
                started_at = coalesce(started_at, @now), finished_at = @now
            WHERE id = @id AND state <> @done
            """,
            new { id = unit.Id, done = UnitStates.Done, owner = handOut.NodeId, attempt = handOut.Attempt, now = s.Now }).ConfigureAwait(false);
        return marked == 1 ? CompletionStatus.Completed : CompletionStatus.AlreadyDone;
    }

    private static async Task FailUnreadableUnitAsync(SqliteSession s, UnitRow unit, string reason)
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

    /// <summary>Appends to the journal inside the caller's transaction, so the line and the change it records commit together.</summary>
    private static async Task JournalAsync(SqliteSession s, string kind, string? sweepId, string? unitId, string? nodeId, int? attempt, string? detail) =>
        await s.ExecuteAsync("""
            INSERT INTO events (at, kind, sweep_id, unit_id, node_id, attempt, detail)
            VALUES (@now, @kind, @sweepId, @unitId, @nodeId, @attempt, @detail)
            """,
            new { now = s.Now, kind, sweepId, unitId, nodeId, attempt, detail }).ConfigureAwait(false);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private async Task<T> WriteAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var session = await SqliteSession.BeginAsync(_connectionString, write: true, cancellationToken).ConfigureAwait(false);
            T result = await work(session).ConfigureAwait(false);
            session.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var session = await SqliteSession.BeginAsync(_connectionString, write: false, cancellationToken).ConfigureAwait(false);
        return await work(session).ConfigureAwait(false);
    }
}
