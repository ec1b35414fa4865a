using System.Data;
using Dapper;
using Npgsql;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// One pooled connection and one transaction: the unit of work of every store method. The database time is
/// read once at the start, so every timestamp a transaction writes agrees with every other it compares.
/// Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
internal sealed class PostgresSession : IAsyncDisposable
{
    /// <summary>
    /// Seconds since the Unix epoch by the server's clock. Every node takes lease times from here, so nodes'
    /// clocks never need to agree; clock_timestamp() is the time the statement runs.
    /// </summary>
    public const string NowSql = "SELECT extract(epoch FROM clock_timestamp())::double precision";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly CancellationToken _cancellationToken;

    private PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        _connection = connection;
        _transaction = transaction;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The database time when the transaction began, in seconds since the epoch.</summary>
    public double Now { get; private set; }

    /// <summary>
    /// Opens a pooled connection and begins a transaction the session owns. Writers run READ COMMITTED and take
    /// the row locks they need explicitly (FOR UPDATE, guarded UPDATEs re-checked on the newest row version),
    /// which never fails with a serialization error. Readers run REPEATABLE READ: their several queries see one
    /// snapshot, as a SQLite reader does, and a read-only transaction at that level cannot fail to serialize.
    /// </summary>
    public static async Task<PostgresSession> BeginAsync(NpgsqlDataSource dataSource, bool write, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction transaction;
        try
        {
            transaction = await connection.BeginTransactionAsync(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var session = new PostgresSession(connection, transaction, cancellationToken);
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

    public Task CommitAsync() => _transaction.CommitAsync(_cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private CommandDefinition Define(string sql, object? parameters) => new(sql, parameters, _transaction, cancellationToken: _cancellationToken);
}
