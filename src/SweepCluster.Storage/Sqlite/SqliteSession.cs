using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Sqlite;

/// <summary>A session on the SQLite file: its pragmas, its transaction mode and its clock.</summary>
internal sealed class SqliteSession : SqlSession
{
    /// <summary>Seconds since the Unix epoch by the database's clock (julianday 2440587.5 is 1970-01-01).</summary>
    public const string NowSql = "SELECT (julianday('now') - 2440587.5) * 86400.0";

    // Per connection, not kept in the file, so set on every open (pooled connections keep them; setting
    // them again costs microseconds). busy_timeout: how long to wait for another process's write lock
    // (in-process writers never wait here, see SqliteSweepStore). synchronous=NORMAL: in WAL mode a commit
    // then survives a crash of the process but not a power cut, which at worst loses the last results,
    // and lost results are recomputed bitwise identically; FULL would add an fsync to every commit.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    private SqliteSession(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        : base(connection, transaction, SqliteDialect.Instance, cancellationToken)
    {
    }

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
        return await StartAsync(
            connection,
            () => Task.FromResult<DbTransaction>(connection.BeginTransaction(deferred: !write)),
            transaction => new SqliteSession(connection, transaction, cancellationToken),
            NowSql).ConfigureAwait(false);
    }

    // Not cancellable, as before: the commit of a local file takes microseconds, and the work it keeps is done.
    public override Task CommitAsync()
    {
        Transaction.Commit();
        return Task.CompletedTask;
    }
}
