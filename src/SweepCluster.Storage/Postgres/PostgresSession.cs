using System.Data;
using System.Data.Common;
using Npgsql;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Postgres;

/// <summary>A session on a pooled PostgreSQL connection: its isolation level and the server's clock.</summary>
internal sealed class PostgresSession : SqlSession
{
    /// <summary>
    /// Seconds since the Unix epoch by the server's clock. Every node takes its times from here, so nodes'
    /// clocks never need to agree; clock_timestamp() is the time the statement runs.
    /// </summary>
    public const string NowSql = "SELECT extract(epoch FROM clock_timestamp())::double precision";

    private PostgresSession(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        : base(connection, transaction, PostgresDialect.Instance, cancellationToken)
    {
    }

    /// <summary>
    /// Opens a pooled connection and begins a transaction the session owns. Writers run READ COMMITTED and take
    /// the row locks they need explicitly (FOR UPDATE, guarded UPDATEs re-checked on the newest row version),
    /// which never fails with a serialization error. Readers run REPEATABLE READ: their several queries see one
    /// snapshot, as a SQLite reader does, and a read-only transaction at that level cannot fail to serialize.
    /// </summary>
    public static async Task<PostgresSession> BeginAsync(NpgsqlDataSource dataSource, bool write, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await StartAsync(
            connection,
            async () => (DbTransaction)await connection.BeginTransactionAsync(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false),
            transaction => new PostgresSession(connection, transaction, cancellationToken),
            NowSql).ConfigureAwait(false);
    }
}
