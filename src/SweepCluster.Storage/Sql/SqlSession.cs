using System.Data.Common;
using Dapper;

namespace SweepCluster.Storage.Sql;

/// <summary>
/// One connection and one transaction: the unit of work of every store method. The database time is read once at
/// the start, so every timestamp a transaction writes agrees with every other it compares. Disposing without
/// <see cref="CommitAsync"/> rolls back.
/// </summary>
internal abstract class SqlSession : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    protected SqlSession(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        _connection = connection;
        _transaction = transaction;
        Dialect = dialect;
        CancellationToken = cancellationToken;
    }

    /// <summary>The database time when the transaction began, in seconds since the epoch.</summary>
    public double Now { get; private set; }

    /// <summary>How this database spells what the shared queries leave open.</summary>
    public SqlDialect Dialect { get; }

    protected CancellationToken CancellationToken { get; }

    protected DbTransaction Transaction => _transaction;

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => _connection.ExecuteAsync(Define(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) => _connection.ExecuteScalarAsync<T>(Define(sql, parameters));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await _connection.QueryAsync<T>(Define(sql, parameters)).ConfigureAwait(false)).AsList();

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) => _connection.QuerySingleOrDefaultAsync<T>(Define(sql, parameters));

    public virtual Task CommitAsync() => _transaction.CommitAsync(CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Finishes the opening of a session over <paramref name="connection"/>, which it then owns: begins the
    /// transaction and reads the database time, closing everything if either fails.
    /// </summary>
    protected static async Task<TSession> StartAsync<TSession>(
        DbConnection connection, Func<Task<DbTransaction>> begin, Func<DbTransaction, TSession> create, string nowSql)
        where TSession : SqlSession
    {
        DbTransaction transaction;
        try
        {
            transaction = await begin().ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var session = create(transaction);
        try
        {
            session.Now = await session.ScalarAsync<double>(nowSql).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private CommandDefinition Define(string sql, object? parameters) => new(sql, parameters, _transaction, cancellationToken: CancellationToken);
}
