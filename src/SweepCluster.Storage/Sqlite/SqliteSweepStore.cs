using Microsoft.Data.Sqlite;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, for <c>sweep run</c> on one machine. SQLite has one writer
/// per file, so this store serves the processes of one machine; a cluster needs the PostgreSQL store and its row
/// locks. The queries are <see cref="SqlSweepStore"/>'s; this class holds the file, its connections and the
/// queue of this process's writers.
/// </summary>
public sealed class SqliteSweepStore : SqlSweepStore
{
    private readonly string _connectionString;
    private readonly string _migrationConnectionString;

    // SQLite allows one writing transaction per file at a time. If two connections of this process both
    // BEGIN IMMEDIATE, the second gets SQLITE_BUSY and SQLite's busy handler sleeps and polls until the lock
    // frees: milliseconds lost per meeting, no fairness, and a pool thread blocked meanwhile. Queueing this
    // process's writers here instead hands the lock to the next one as soon as it is free, without polling
    // and without blocking a thread. The busy timeout still covers writers in other processes on the same
    // file (a second `sweep run`, say). Reads skip the gate: in WAL mode they read a snapshot, neither
    // waiting for the writer nor blocking it.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private volatile bool _disposed;

    private SqliteSweepStore(string fullPath, SqliteOpenMode mode)
        : base("sqlite:" + fullPath)
    {
        FullPath = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = mode,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();

        // A migration that rebuilds a table (SQLite's way to change a constraint) must drop it while other tables
        // still refer to it, which foreign keys forbid; the scripts copy rows unchanged, so no reference breaks.
        _migrationConnectionString = new SqliteConnectionStringBuilder(_connectionString) { ForeignKeys = false }.ToString();
    }

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

        return new SqliteSweepStore(fullPath, SqliteOpenMode.ReadWriteCreate);
    }

    /// <summary>
    /// A store over the SQLite file at <paramref name="path"/> that must exist already: nothing is created, neither
    /// the file nor its folders. For commands that only read, so that a mistyped path is an error instead of a new
    /// empty store. (Read-write rather than read-only: a reader of a WAL file may have to recover it.)
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static SqliteSweepStore OpenExisting(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"no store file at {fullPath}", fullPath);
        }

        return new SqliteSweepStore(fullPath, SqliteOpenMode.ReadWrite);
    }

    /// <inheritdoc />
    /// <remarks>
    /// quick_check reads every page once (about a second per gigabyte) and stops at the first few problems; it
    /// skips the cross-check of indexes against tables that integrity_check adds, which costs far more.
    /// </remarks>
    public override Task<StoreCheck> CheckAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async s =>
        {
            const int MaxProblems = 5;
            try
            {
                if (await s.ScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table'").ConfigureAwait(false) == 0)
                {
                    return new StoreCheck(StoreCheckStatus.Empty, ["the file holds no table yet"]);
                }

                if (await s.ScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").ConfigureAwait(false) == 0)
                {
                    return new StoreCheck(StoreCheckStatus.NotASweepStore, ["the file is a SQLite database of something else (it lacks the sweep store's tables)"]);
                }

                var rows = await s.QueryAsync<string>($"PRAGMA quick_check({MaxProblems})").ConfigureAwait(false);
                if (rows is ["ok"])
                {
                    return StoreCheck.Sound;
                }

                // A row may hold several lines, the first naming the schema ("*** in database main ***").
                var problems = rows
                    .SelectMany(r => r.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Where(line => !line.StartsWith("***", StringComparison.Ordinal))
                    .Take(MaxProblems)
                    .ToList();
                return new StoreCheck(StoreCheckStatus.Damaged, problems.Count > 0 ? problems : ["quick_check failed"]);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteErrorCodes.NotADatabase)
            {
                return new StoreCheck(StoreCheckStatus.NotASweepStore, ["the file is not a SQLite database (or its first page is destroyed)"]);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteErrorCodes.Corrupt)
            {
                return new StoreCheck(StoreCheckStatus.Damaged, [e.Message]);
            }
        }, cancellationToken);

    /// <inheritdoc />
    private protected override int KnownSchemaVersion => SqliteSchemaMigrator.KnownVersion;

    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
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

            await using var session = await SqliteSession.BeginAsync(_migrationConnectionString, write: true, cancellationToken).ConfigureAwait(false);
            await SqliteSchemaMigrator.MigrateAsync(session, Description).ConfigureAwait(false);
            await session.CommitAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Waits for the write in progress, then closes the pooled connections so the file is let go.</summary>
    public override async ValueTask DisposeAsync()
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

    private protected override async Task<T> RunAsync<T>(bool write, Func<SqlSession, Task<T>> work, string operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!write)
        {
            await using var reader = await SqliteSession.BeginAsync(_connectionString, write: false, cancellationToken).ConfigureAwait(false);
            return await work(reader).ConfigureAwait(false);
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var session = await SqliteSession.BeginAsync(_connectionString, write: true, cancellationToken).ConfigureAwait(false);
            T result = await work(session).ConfigureAwait(false);
            await session.CommitAsync().ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
