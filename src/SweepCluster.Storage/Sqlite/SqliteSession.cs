using Dapper;
using Microsoft.Data.Sqlite;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// One connection and one transaction: the unit of work of every store method. The database time is
/// read once at the start, so every timestamp a transaction writes agrees with every other it compares.
/// Disposing without <see cref="Commit"/> rolls back.
/// </summary>
internal sealed class SqliteSession : IAsyncDisposable
{
    /// <summary>Seconds since the Unix epoch by the database's clock (julianday 2440587.5 is 1970-01-01).</summary>
    public const string NowSql = "SELECT (julianday('now') - 2440587.5) * 86400.0";

    // Per connection, not kept in the file, so set on every open (pooled connections keep them; setting
    // them again costs microseconds). busy_timeout: how long to wait for another process's write lock
    // (in-process writers never wait here, see SqliteSweepStore). synchronous=NORMAL: in WAL mode a commit
    // then survives a crash of the process but not a power cut, which at worst loses the last results,
    // and lost results are recomputed bitwise identically; FULL would add an fsync to every claim.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly CancellationToken _cancellationToken;

    private SqliteSession(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        _connection = connection;
        _transaction = transaction;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The database time when the transaction began, in seconds since the epoch.</summary>
    public double Now { get; private set; }

    /// <summary>Opens a connection with the store's pragmas, outside any transaction.</summary>
    public static async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(ConnectionPragmas, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens a connection and begins a transaction the session owns. A writer begins IMMEDIATE: it takes
    /// the write lock before reading, so what it reads cannot change before it writes (a deferred transaction
    /// that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT, which waiting does not cure). A reader
    /// begins deferred and, in WAL mode, sees one snapshot without blocking the writer.
    /// </summary>
    public static async Task<SqliteSession> BeginAsync(string connectionString, bool write, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(connectionString, cancellationToken).ConfigureAwait(false);
        SqliteTransaction transaction;
        try
        {
            transaction = connection.BeginTransaction(deferred: !write);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var session = new SqliteSession(connection, transaction, cancellationToken);
        try
        {
            session.Now = await session.ScalarAsync<double>(NowSql).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => _connection.ExecuteAsync(Define(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) => _connection.ExecuteScalarAsync<T>(Define(sql, parameters));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await _connection.QueryAsync<T>(Define(sql, parameters)).ConfigureAwait(false)).AsList();

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) => _connection.QuerySingleOrDefaultAsync<T>(Define(sql, parameters));

    public void Commit() => _transaction.Commit();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private CommandDefinition Define(string sql, object? parameters) => new(sql, parameters, _transaction, cancellationToken: _cancellationToken);
}
