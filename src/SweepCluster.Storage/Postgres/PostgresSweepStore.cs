using Npgsql;
using Polly;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// The cluster store: a PostgreSQL database shared by every coordinator and worker, and their coordination
/// engine's durable record. The queries are <see cref="SqlSweepStore"/>'s; this class holds the connection pool,
/// the session defaults and the retries of transient failures.
/// </summary>
/// <remarks>
/// <para>
/// Writers run READ COMMITTED, where a guarded UPDATE that waited for another writer's row lock re-checks its
/// guard on the row as that writer left it, and a commit locks its unit (FOR UPDATE) before it decides anything.
/// The semantics are those of <see cref="Sqlite.SqliteSweepStore"/>; both pass one contract suite.
/// </para>
/// <para>
/// Transient failures (connection lost or refused, server restart, serialization failure, deadlock; see
/// <see cref="PostgresTransientErrors"/>) are retried inside each method with exponential backoff and jitter
/// (<see cref="PostgresRetryPolicy"/>, <see cref="StoreRetries"/>), running the whole transaction again. That is safe because each method
/// is one transaction, and at-least-once where a commit succeeded but its reply was lost: a submit then counts
/// nothing as new the second time, and a commit answers <see cref="CompletionStatus.AlreadyDone"/> (its
/// results are stored).
/// </para>
/// </remarks>
public sealed class PostgresSweepStore : SqlSweepStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retries;
    private volatile bool _disposed;

    private PostgresSweepStore(NpgsqlDataSource dataSource, string description, PostgresRetryPolicy retryPolicy)
        : base(description)
    {
        _dataSource = dataSource;
        _retries = StoreRetries.Create(retryPolicy.MaxAttempts, retryPolicy.FirstDelay, retryPolicy.MaxDelay, e => !_disposed && PostgresTransientErrors.IsTransient(e), OnRetry);
    }

    /// <summary>
    /// Raised before each retry of a transient failure, so the host can log it. Handlers run on the thread of
    /// the failed call and should not throw: an exception from one ends that store call.
    /// </summary>
    public event EventHandler<StoreRetry>? Retrying;

    /// <summary>
    /// A store over the database of <paramref name="connectionString"/> (Npgsql keywords), with a connection
    /// pool of its own. Call <see cref="MigrateAsync"/> before anything else.
    /// </summary>
    /// <param name="connectionString">Host, database, user, password and options; a <c>Search Path</c> keeps the store in a schema of its own.</param>
    /// <param name="redactedDescription">What logs and errors call this store; it must not contain the password.</param>
    /// <param name="retryPolicy">Retries of transient failures; <see cref="PostgresRetryPolicy.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The description holds the password in a URL's user-information part (user:password@), or the connection string is malformed.</exception>
    public static PostgresSweepStore Create(string connectionString, string redactedDescription, PostgresRetryPolicy? retryPolicy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(redactedDescription);
        retryPolicy ??= PostgresRetryPolicy.Default;
        retryPolicy.Validate();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password) && redactedDescription.Contains(":" + builder.Password + "@", StringComparison.Ordinal))
        {
            // The description goes into logs and exception messages; a password there would leak to whoever reads them.
            // Only the password's own place in a URL counts: a password may equal the user name or the database's
            // name (postgres://postgres:postgres@host/postgres), and those parts rightly stay in the description.
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
            // The store's queries look up a few hundred units or cells by key in tables of a whole sweep, which stay
            // in the server's cache: with the default random_page_cost of 4 (a spinning disk) the planner reads the
            // whole table instead of the index from about a hundred keys on, a cost that grows with the sweep
            // (measured: 160 ms instead of 3 ms per batch of 256 at 30,000 cells; docs/benchmarks.md).
            builder.Options = "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=10000 -c random_page_cost=1.1";
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
    public override Task<StoreCheck> CheckAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async s =>
            await s.ScalarAsync<bool>("SELECT to_regclass('schema_version') IS NOT NULL").ConfigureAwait(false)
                ? StoreCheck.Sound
                : new StoreCheck(StoreCheckStatus.Empty, ["no schema_version table in the database's search path"]), cancellationToken);

    private protected override int KnownSchemaVersion => PostgresSchemaMigrator.KnownVersion;

    /// <inheritdoc />
    /// <remarks>Safe to call from many processes at once: they queue on an advisory lock and the scripts run once.</remarks>
    public override Task MigrateAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(s => PostgresSchemaMigrator.MigrateAsync(s, Description), cancellationToken);

    /// <summary>Closes the pool's connections; calls still running fail or finish on their own connections.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own and commits it, again from the start after a
    /// transient failure (see the class remarks for why that is safe), up to the retry policy's limit.
    /// </summary>
    private protected override Task<T> RunAsync<T>(bool write, Func<SqlSession, Task<T>> work, string operation, CancellationToken cancellationToken) =>
        _retries.RunAsync(
            operation,
            (store: this, write, work),
            static async (s, ct) =>
            {
                ObjectDisposedException.ThrowIf(s.store._disposed, s.store);
                await using var session = await PostgresSession.BeginAsync(s.store._dataSource, s.write, ct).ConfigureAwait(false);
                T result = await s.work(session).ConfigureAwait(false);
                await session.CommitAsync().ConfigureAwait(false);
                return result;
            },
            cancellationToken);

    private void OnRetry(StoreRetry retry)
    {
        if (PostgresTransientErrors.IsConnectionLoss(retry.Error))
        {
            // After a restart every idle connection in the pool is dead; dropping them now spares the
            // next tries from finding that out one connection at a time.
            _dataSource.Clear();
        }

        Retrying?.Invoke(this, retry);
    }
}
