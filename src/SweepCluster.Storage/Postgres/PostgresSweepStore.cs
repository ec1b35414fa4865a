using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// The cluster store: a PostgreSQL database shared by every coordinator and worker, and their coordination
/// engine's durable record. Every method is one transaction on a pooled connection, and every time is the
/// database's clock.
/// </summary>
/// <remarks>
/// <para>
/// Unit states are text (<see cref="UnitStates"/>) and every transition is an UPDATE guarded by the state it
/// leaves; the rows it changed are the answer. Writers run READ COMMITTED, where a guarded UPDATE that waited
/// for another writer's row lock re-checks its guard on the row as that writer left it. The semantics are those of <see cref="Sqlite.SqliteSweepStore"/>; both pass one contract suite.
/// </para>
/// <para>
/// Transient failures (connection lost or refused, server restart, serialization failure, deadlock; see
/// <see cref="PostgresTransientErrors"/>) are retried inside each method with exponential backoff
/// (<see cref="PostgresRetryPolicy"/>), running the whole transaction again. That is safe because each method
/// is one transaction, and at-least-once where a commit succeeded but its reply was lost: a submit then counts
/// nothing as new the second time, and a commit answers <see cref="CompletionStatus.AlreadyDone"/> (its
/// results are stored).
/// </para>
/// </remarks>
public sealed class PostgresSweepStore : ISweepStore
{
    /// <summary>
    /// One unit, locked: a commit or a failure decides from what it reads here, so no other writer may
    /// change the unit before this transaction ends.
    /// </summary>
    private const string LockUnitSql = """
        SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, owner AS Owner,
               attempts AS Attempts, last_error AS LastError,
               started_at AS StartedAt, finished_at AS FinishedAt
        FROM units
        WHERE id = @id
        FOR UPDATE
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRetryPolicy _retryPolicy;
    private volatile bool _disposed;

    private PostgresSweepStore(NpgsqlDataSource dataSource, string description, PostgresRetryPolicy retryPolicy)
    {
        _dataSource = dataSource;
        Description = description;
        _retryPolicy = retryPolicy;
    }

    /// <summary>
    /// Raised before each retry of a transient failure, so the host can log it. Handlers run on the thread of
    /// the failed call and should not throw: an exception from one ends that store call.
    /// </summary>
    public event EventHandler<PostgresRetry>? Retrying;

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// A store over the database of <paramref name="connectionString"/> (Npgsql keywords), with a connection
    /// pool of its own. Call <see cref="MigrateAsync"/> before anything else.
    /// </summary>
    /// <param name="connectionString">Host, database, user, password and options; a <c>Search Path</c> keeps the store in a schema of its own.</param>
    /// <param name="redactedDescription">What logs and errors call this store; it must not contain the password.</param>
    /// <param name="retryPolicy">Retries of transient failures; <see cref="PostgresRetryPolicy.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The description contains the connection string's password, or the connection string is malformed.</exception>
    public static PostgresSweepStore Create(string connectionString, string redactedDescription, PostgresRetryPolicy? retryPolicy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(redactedDescription);
        retryPolicy ??= PostgresRetryPolicy.Default;
        retryPolicy.Validate();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password) && redactedDescription.Contains(builder.Password, StringComparison.Ordinal))
        {
            // The description goes into logs and exception messages; a password there would leak to whoever reads them.
            throw new ArgumentException("the store description must not contain the password", nameof(redactedDescription));
        }

        return new PostgresSweepStore(NpgsqlDataSource.Create(WithSessionDefaults(builder)), redactedDescription, retryPolicy);
    }

    /// <summary>The connection settings the store adds where the connection string leaves them unset.</summary>
    internal static NpgsqlConnectionStringBuilder WithSessionDefaults(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Names the sessions in pg_stat_activity, so an operator can tell the store's connections apart.
            builder.ApplicationName = "sweepcluster";
        }

        if (string.IsNullOrEmpty(builder.Options))
        {
            // A node frozen inside a transaction (SIGSTOP, a long GC pause, a partitioned pod) holds its row locks.
            // The server ends such a session after a minute, and nobody else waits more than 10 s for a lock, so a
            // coordinator releasing a dead node's units cannot hang behind it; the call fails and is tried again.
            builder.Options = "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=10000";
        }

        if (!builder.ConnectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            // The same few statements run for every unit; prepared once per connection, the server stops parsing
            // and planning them each time (measured: a third less CPU per unit, on both sides; docs/benchmarks.md).
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder;
    }

    /// <inheritdoc />
    /// <remarks>Safe to call from many processes at once: they queue on an advisory lock and the scripts run once.</remarks>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(s => PostgresSchemaMigrator.MigrateAsync(s, Description), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="SubmitOutcome.NewCells"/> counts cells new to the store (a cell another sweep already
    /// holds is shared, not new); <see cref="SubmitOutcome.TotalCells"/> counts the sweep's cells after the
    /// submit. New units reopen a finished sweep and wake waiting workers.
    /// </remarks>
    public Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(units);
        StoreValidation.ValidateSubmission(sweep, units);

        // Rows are written in id order: two submits that share cells (or units) then lock them in the same
        // order and queue behind each other instead of deadlocking.
        var cells = sweep.Cells.DistinctBy(c => c.Id).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var distinctUnits = units.DistinctBy(u => u.Id).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var spectra = sweep.Spectra.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        return WriteAsync(async s =>
        {
            bool newSweep = await s.ScalarAsync<string>("""
                INSERT INTO sweeps (id, grid_hash, grid_text, created_at) VALUES (@id, @gridHash, @gridText, @now)
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                new { id = sweep.Id, gridHash = sweep.GridHash, gridText = sweep.GridText, now = s.Now }).ConfigureAwait(false) is not null;
            if (!newSweep)
            {
                await s.ExecuteAsync(
                    "UPDATE sweeps SET grid_hash = @gridHash, grid_text = @gridText WHERE id = @id AND (grid_hash <> @gridHash OR grid_text <> @gridText)",
                    new { id = sweep.Id, gridHash = sweep.GridHash, gridText = sweep.GridText }).ConfigureAwait(false);
            }

            // Whole lists go in as arrays, one statement each, whatever the size of the grid.
            int newCells = await s.ExecuteAsync("""
                INSERT INTO cells (id, kind, group_key, params)
                SELECT * FROM unnest(@ids::text[], @kinds::text[], @groupKeys::text[], @params::text[])
                ON CONFLICT (id) DO NOTHING
                """,
                new
                {
                    ids = cells.Select(c => c.Id).ToArray(),
                    kinds = cells.Select(c => CellKindNames.ToName(c.Kind)).ToArray(),
                    groupKeys = cells.Select(c => c.GroupKey).ToArray(),
                    @params = cells.Select(c => c.CanonicalParameters).ToArray(),
                }).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO sweep_cells (sweep_id, cell_id) SELECT @sweepId, unnest(@cellIds::text[]) ON CONFLICT DO NOTHING",
                new { sweepId = sweep.Id, cellIds = cells.Select(c => c.Id).ToArray() }).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO spectra (hash, text) SELECT * FROM unnest(@hashes::text[], @texts::text[]) ON CONFLICT (hash) DO NOTHING",
                new { hashes = spectra.Select(p => p.Key).ToArray(), texts = spectra.Select(p => p.Value).ToArray() }).ConfigureAwait(false);

            var newUnitIds = (await s.QueryAsync<string>("""
                INSERT INTO units (id, sweep_id, kind, group_key, cost, state, created_at)
                SELECT u.id, @sweepId, u.kind, u.group_key, u.cost, @pending, @now
                FROM unnest(@ids::text[], @kinds::text[], @groupKeys::text[], @costs::double precision[]) AS u (id, kind, group_key, cost)
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                new
                {
                    sweepId = sweep.Id,
                    pending = UnitStates.Pending,
                    now = s.Now,
                    ids = distinctUnits.Select(u => u.Id).ToArray(),
                    kinds = distinctUnits.Select(u => UnitKindNames.ToName(u.Kind)).ToArray(),
                    groupKeys = distinctUnits.Select(u => u.GroupKey).ToArray(),
                    costs = distinctUnits.Select(u => u.Cost).ToArray(),
                }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            if (newUnitIds.Count > 0)
            {
                // A unit's id hashes its cells, so an existing unit already has exactly these.
                var links = distinctUnits.Where(u => newUnitIds.Contains(u.Id))
                    .SelectMany(u => u.CellIds.Distinct(StringComparer.Ordinal).Select(c => (UnitId: u.Id, CellId: c)))
                    .ToList();
                await s.ExecuteAsync(
                    "INSERT INTO unit_cells (unit_id, cell_id) SELECT * FROM unnest(@unitIds::text[], @cellIds::text[])",
                    new { unitIds = links.Select(l => l.UnitId).ToArray(), cellIds = links.Select(l => l.CellId).ToArray() }).ConfigureAwait(false);
                await s.ExecuteAsync("UPDATE sweeps SET finished_at = NULL WHERE id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            }

            int totalCells = await s.ScalarAsync<int>("SELECT count(*)::integer FROM sweep_cells WHERE sweep_id = @id", new { id = sweep.Id }).ConfigureAwait(false);
            await JournalAsync(s, JournalEventKinds.SweepSubmitted, sweep.Id, null, null, null,
                Invariant($"cells={totalCells} new_cells={newCells} units={units.Count} new_units={newUnitIds.Count}")).ConfigureAwait(false);
            return new SubmitOutcome(newSweep, newCells, newUnitIds.Count, totalCells);
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

        string[] ids = [.. cellIds];
        return await ReadAsync<IReadOnlySet<string>>(async s =>
        {
            var found = await s.QueryAsync<string>("SELECT cell_id FROM results WHERE cell_id = ANY(@ids::text[])", new { ids }).ConfigureAwait(false);
            return found.ToHashSet(StringComparer.Ordinal);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The units come back in the order of <paramref name="unitIds"/> (each once), read in two queries whatever
    /// their number. The common case only reads; a unit whose stored cells cannot be rebuilt (another model
    /// version, or edited by hand) is failed with the reason in a write afterwards,
    /// unless it is done: its results are stored, so it stays done and is only left out.
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
            var rows = await s.QueryAsync<UnitRow>("""
                SELECT id AS Id, sweep_id AS SweepId, kind AS Kind, cost AS Cost, state AS State, attempts AS Attempts
                FROM units
                WHERE id = ANY(@ids::text[])
                """,
                new { ids = requested }).ConfigureAwait(false);
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
        var ordered = InsertionOrder(results);
        return WriteAsync(s => WriteResultsAndFinishAsync(s, handOut, ordered, FinishHandedOutUnitAsync), cancellationToken);
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
                    SET state = @leased, owner = @owner, attempts = greatest(attempts, @attempt), lease_expires_at = NULL, started_at = @now
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
            var unit = await s.QuerySingleOrDefaultAsync<UnitRow>(LockUnitSql, new { id = handOut.UnitId }).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"cannot fail unit {handOut.UnitId}: the store {Description} has no such unit");

            // Done is final: its results are stored, and failing it would only make retry-failed compute it again.
            int failed = await s.ExecuteAsync("""
                UPDATE units
                SET state = @failed, owner = NULL, lease_expires_at = NULL, last_error = @reason, finished_at = @now,
                    attempts = greatest(attempts, @attempt)
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
    /// the fresh budget comes from counting the attempt limit from here. Reopens a finished sweep and wakes
    /// waiting workers.
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
                       (SELECT count(*)::integer FROM sweep_cells sc WHERE sc.sweep_id = s.id) AS Cells,
                       (SELECT count(*)::integer FROM units u WHERE u.sweep_id = s.id) AS Units
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
            if (await s.ScalarAsync<int>("SELECT count(*)::integer FROM sweeps WHERE id = @sweepId", new { sweepId }).ConfigureAwait(false) == 0)
            {
                throw new KeyNotFoundException($"the store {Description} has no sweep '{sweepId}'");
            }

            var byState = (await s.QueryAsync<(string State, int Count)>(
                    "SELECT state, count(*)::integer FROM units WHERE sweep_id = @sweepId GROUP BY state", new { sweepId }).ConfigureAwait(false))
                .ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
            int cellsTotal = await s.ScalarAsync<int>("SELECT count(*)::integer FROM sweep_cells WHERE sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            int cellsDone = await s.ScalarAsync<int>(
                "SELECT count(*)::integer FROM sweep_cells sc JOIN results r ON r.cell_id = sc.cell_id WHERE sc.sweep_id = @sweepId", new { sweepId }).ConfigureAwait(false);
            return new SweepProgress(
                sweepId,
                byState.GetValueOrDefault(UnitStates.Pending),
                byState.GetValueOrDefault(UnitStates.Leased),
                byState.GetValueOrDefault(UnitStates.Done),
                byState.GetValueOrDefault(UnitStates.Failed),
                cellsTotal,
                cellsDone,
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
        return WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO cluster_seeds (address, role, published_at, refreshed_at)
            VALUES (@address, @role, @now, @now)
            ON CONFLICT (address) DO UPDATE SET
                role = excluded.role,
                refreshed_at = excluded.refreshed_at
            """,
            new { address, role, now = s.Now }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Addresses published at the same instant come in byte order (address is COLLATE "C").</remarks>
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
    /// Cell ids compare as bytes (the id columns are COLLATE "C"). A cell whose stored parameters this program
    /// cannot rebuild (another model version) makes the call fail with a <see cref="FormatException"/> naming the cell.
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
                       (SELECT count(*)::integer FROM unit_cells uc WHERE uc.unit_id = u.id) AS Cells
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

    /// <summary>Stops listening and closes the pool's connections; calls still running fail or finish on their own connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, List<(string CellId, string Params)>>> LoadCellsAsync(PostgresSession s, IReadOnlyList<UnitRow> units)
    {
        var rows = await s.QueryAsync<(string UnitId, string CellId, string Params)>("""
            SELECT uc.unit_id, c.id, c.params
            FROM unit_cells uc
            JOIN cells c ON c.id = uc.cell_id
            WHERE uc.unit_id = ANY(@unitIds::text[])
            ORDER BY uc.unit_id, uc.cell_id
            """,
            new { unitIds = units.Select(u => u.Id).ToArray() }).ConfigureAwait(false);
        var byUnit = units.ToDictionary(u => u.Id, _ => new List<(string CellId, string Params)>(), StringComparer.Ordinal);
        foreach (var (unitId, cellId, parameters) in rows)
        {
            byUnit[unitId].Add((cellId, parameters));
        }

        return byUnit;
    }

    /// <summary>Results in cell id order, the order every completion inserts (and so locks) them in.</summary>
    /// <remarks>
    /// Two completions that share cells (units of two sweeps over the same cells) then queue on the first shared
    /// cell instead of deadlocking. Sorted once, outside the transaction, which may run again after a retry.
    /// </remarks>
    private static List<StoredResult> InsertionOrder(IReadOnlyList<StoredResult> results) =>
        results.OrderBy(r => r.CellId, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The body of <see cref="CommitUnitAsync"/>: locks the unit, checks and writes
    /// the results (insert-if-absent, differences recorded as non-determinism), lets <paramref name="finish"/>
    /// decide the unit's state, then journals the outcome. The results come
    /// in <see cref="InsertionOrder"/>.
    /// </summary>
    private async Task<CompletionOutcome> WriteResultsAndFinishAsync(
        PostgresSession s, UnitLease lease, List<StoredResult> results, Func<PostgresSession, UnitRow, UnitLease, Task<CompletionStatus>> finish)
    {
        var unit = await s.QuerySingleOrDefaultAsync<UnitRow>(LockUnitSql, new { id = lease.UnitId }).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cannot complete unit {lease.UnitId}: the store {Description} has no such unit");
        var unitCells = (await s.QueryAsync<string>("SELECT cell_id FROM unit_cells WHERE unit_id = @id", new { id = unit.Id }).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        if (results.FirstOrDefault(r => !unitCells.Contains(r.CellId)) is { } stray)
        {
            throw new ArgumentException($"cell {stray.CellId} is not a cell of unit {unit.Id}", nameof(results));
        }

        // Checkpoint: once this transaction commits, these results survive any crash. The first result of a
        // cell wins (a concurrent insert of the same cell waits for the other transaction, then yields to it);
        // a later one is only compared with it.
        var inserted = (await s.QueryAsync<string>("""
            INSERT INTO results (cell_id, status, metrics_json, message, duration_s, unit_id, node_id, attempt, created_at)
            SELECT r.cell_id, r.status, r.metrics_json, r.message, r.duration_s, @unitId, @nodeId, @attempt, @now
            FROM unnest(@cellIds::text[], @statuses::text[], @metrics::text[], @messages::text[], @durations::double precision[])
                 AS r (cell_id, status, metrics_json, message, duration_s)
            ON CONFLICT (cell_id) DO NOTHING
            RETURNING cell_id
            """,
            new
            {
                unitId = unit.Id,
                nodeId = lease.NodeId,
                attempt = lease.Attempt,
                now = s.Now,
                cellIds = results.Select(r => r.CellId).ToArray(),
                statuses = results.Select(r => ResultStatusNames.ToName(r.Status)).ToArray(),
                metrics = results.Select(r => r.MetricsJson).ToArray(),
                messages = results.Select(r => r.Message).ToArray(),
                durations = results.Select(r => r.DurationSeconds).ToArray(),
            }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

        // A result counts as written once per inserted cell; every other one (a cell stored before, or a
        // second result for the same cell in this list) is compared with the stored one.
        var firstOccurrence = new HashSet<string>(StringComparer.Ordinal);
        var compared = results.Where(r => !(inserted.Contains(r.CellId) && firstOccurrence.Add(r.CellId))).ToList();
        int mismatches = compared.Count == 0 ? 0 : await RecordMismatchesAsync(s, unit, lease, compared).ConfigureAwait(false);
        int written = inserted.Count;

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
    private static async Task<CompletionStatus> FinishHandedOutUnitAsync(PostgresSession s, UnitRow unit, UnitLease handOut)
    {
        int marked = await s.ExecuteAsync("""
            UPDATE units
            SET state = @done, owner = @owner, attempts = greatest(attempts, @attempt), lease_expires_at = NULL,
                started_at = coalesce(started_at, @now), finished_at = @now
            WHERE id = @id AND state <> @done
            """,
            new { id = unit.Id, done = UnitStates.Done, owner = handOut.NodeId, attempt = handOut.Attempt, now = s.Now }).ConfigureAwait(false);
        return marked == 1 ? CompletionStatus.Completed : CompletionStatus.AlreadyDone;
    }

    /// <summary>Compares results that were not inserted with the stored ones; records and journals each difference. Returns how many differed.</summary>
    private static async Task<int> RecordMismatchesAsync(PostgresSession s, UnitRow unit, UnitLease lease, IReadOnlyList<StoredResult> compared)
    {
        var stored = (await s.QueryAsync<(string CellId, string Status, string MetricsJson)>(
                "SELECT cell_id, status, metrics_json FROM results WHERE cell_id = ANY(@cellIds::text[])",
                new { cellIds = compared.Select(r => r.CellId).Distinct(StringComparer.Ordinal).ToArray() }).ConfigureAwait(false))
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
                new { cellId = result.CellId, unitId = unit.Id, nodeId = lease.NodeId, attempt = lease.Attempt, firstStatus = first.Status, firstJson = first.MetricsJson, secondStatus = status, secondJson = result.MetricsJson, now = s.Now }).ConfigureAwait(false);
            await JournalAsync(s, JournalEventKinds.NonDeterminism, unit.SweepId, unit.Id, lease.NodeId, lease.Attempt,
                Invariant($"cell={result.CellId} first_status={first.Status} second_status={status}")).ConfigureAwait(false);
        }

        return mismatches;
    }

    private static async Task FailUnreadableUnitAsync(PostgresSession s, UnitRow unit, string reason)
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
    private static async Task JournalAsync(PostgresSession s, string kind, string? sweepId, string? unitId, string? nodeId, int? attempt, string? detail) =>
        await s.ExecuteAsync("""
            INSERT INTO events (at, kind, sweep_id, unit_id, node_id, attempt, detail)
            VALUES (@now, @kind, @sweepId, @unitId, @nodeId, @attempt, @detail)
            """,
            new { now = s.Now, kind, sweepId, unitId, nodeId, attempt, detail }).ConfigureAwait(false);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private Task<T> WriteAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        RunAsync(write: true, work, operation, cancellationToken);

    private Task<T> ReadAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        RunAsync(write: false, work, operation, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own and commits it, again from the start after a
    /// transient failure (see the class remarks for why that is safe), up to the retry policy's limit.
    /// </summary>
    private async Task<T> RunAsync<T>(bool write, Func<PostgresSession, Task<T>> work, string operation, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                await using var session = await PostgresSession.BeginAsync(_dataSource, write, cancellationToken).ConfigureAwait(false);
                T result = await work(session).ConfigureAwait(false);
                await session.CommitAsync().ConfigureAwait(false);
                return result;
            }
            catch (Exception e) when (attempt < _retryPolicy.MaxAttempts && !cancellationToken.IsCancellationRequested && !_disposed && PostgresTransientErrors.IsTransient(e))
            {
                if (PostgresTransientErrors.IsConnectionLoss(e))
                {
                    // After a restart every idle connection in the pool is dead; dropping them now spares the
                    // next tries from finding that out one connection at a time.
                    _dataSource.Clear();
                }

                var delay = _retryPolicy.DelayAfter(attempt);
                RaiseRetrying(new PostgresRetry(operation, attempt, delay, e));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void RaiseRetrying(PostgresRetry retry) => Retrying?.Invoke(this, retry);
}
