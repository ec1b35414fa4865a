using SweepCluster.Storage.Schema;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Postgres;

/// <summary>The PostgreSQL scripts (<c>Migrations/Postgres/</c>), applied under an advisory lock.</summary>
/// <remarks>
/// Many pods start at once in a cluster, and each migrates before it works. A transaction-scoped advisory lock
/// queues them: the first applies the scripts, the others then find the schema current and apply nothing.
/// Without it two of them would both see an empty schema_version and both run CREATE TABLE, and one would fail
/// on a duplicate name. The lock is keyed by the schema the tables go into (the first of the search path), so
/// stores kept in different schemas of one database do not wait for each other; it is released at commit or
/// rollback, so a pod that dies mid-migration cannot leave it held.
/// </remarks>
internal static class PostgresSchemaMigrator
{
    /// <summary>The first key of the advisory lock, naming its purpose: "SWPM" (sweep migrations) in ASCII.</summary>
    public const int MigrationLockClass = 0x5357504D;

    private static readonly SchemaMigrator s_migrator = new("Postgres", """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    integer NOT NULL PRIMARY KEY,
            name       text NOT NULL,
            applied_at double precision NOT NULL
        )
        """);

    public static int KnownVersion => s_migrator.KnownVersion;

    public static IReadOnlyList<MigrationScript> Scripts => s_migrator.Scripts;

    /// <summary>Applies the missing scripts inside <paramref name="session"/> (a write transaction). Returns how many ran.</summary>
    public static async Task<int> MigrateAsync(SqlSession session, string storeDescription)
    {
        await session.ExecuteAsync(
            "SELECT pg_advisory_xact_lock(@lockClass, hashtext(coalesce(current_schema(), '')))", new { lockClass = MigrationLockClass }).ConfigureAwait(false);
        return await s_migrator.MigrateAsync(session, storeDescription).ConfigureAwait(false);
    }
}
