using System.Globalization;
using System.Runtime.CompilerServices;

namespace SweepCluster.Storage.Sql;

/// <summary>
/// Every <see cref="ISweepStore"/> method, written once for SQLite and PostgreSQL: its checks, its SQL and its
/// logic, one file per part of the store (<c>SqlSweepStore.Sweeps.cs</c>, <c>.Units.cs</c>, <c>.Results.cs</c>,
/// <c>.Journal.cs</c>, <c>.Cluster.cs</c>). A backend brings its connections, its transactions (with their
/// locking and retries), its schema migration and its <see cref="SqlDialect"/>.
/// </summary>
/// <remarks>
/// Unit states are text (<see cref="UnitStates"/>) and every transition is an UPDATE guarded by the state it
/// leaves; the number of rows it changed is the answer. Rows are written in id order, so that two writers that
/// share cells or units lock them in the same order and queue instead of deadlocking.
/// </remarks>
public abstract partial class SqlSweepStore : ISweepStore
{
    private protected SqlSweepStore(string description) => Description = description;

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public abstract Task MigrateAsync(CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Whether the schema is the newest this program knows (read only, no lock taken): a store an older version
    /// wrote lacks columns the queries name until <see cref="MigrateAsync"/> has run.
    /// </summary>
    public Task<bool> SchemaIsCurrentAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async s => await s.ScalarAsync<long>("SELECT coalesce(max(version), 0) FROM schema_version").ConfigureAwait(false) >= KnownSchemaVersion, cancellationToken);

    /// <summary>The version of the newest migration script of the backend.</summary>
    private protected abstract int KnownSchemaVersion { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own, committed if <paramref name="write"/>. A backend
    /// that retries runs it again from the start, so it must do nothing outside its session.
    /// </summary>
    /// <param name="operation">The store method, for the backend's logs.</param>
    private protected abstract Task<T> RunAsync<T>(bool write, Func<SqlSession, Task<T>> work, string operation, CancellationToken cancellationToken);

    private protected Task<T> WriteAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        RunAsync(write: true, work, operation, cancellationToken);

    private protected Task WriteAsync(Func<SqlSession, Task> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        RunAsync(write: true, async s =>
        {
            await work(s).ConfigureAwait(false);
            return 0;
        }, operation, cancellationToken);

    private protected Task<T> ReadAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        RunAsync(write: false, work, operation, cancellationToken);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
