using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// Brings a PostgreSQL store to the newest schema this program knows, all scripts in one transaction
/// (PostgreSQL's DDL is transactional, so a failed upgrade leaves the previous schema intact).
/// </summary>
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
    public const string Provider = "Postgres";

    /// <summary>The first key of the advisory lock, naming its purpose: "SWPM" (sweep migrations) in ASCII.</summary>
    public const int MigrationLockClass = 0x5357504D;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> s_scripts = new(() => MigrationScripts.Load(Provider));

    public static IReadOnlyList<MigrationScript> Scripts => s_scripts.Value;

    public static int KnownVersion => Scripts[^1].Version;

    /// <summary>Applies the missing scripts inside <paramref name="session"/> (a write transaction). Returns how many ran.</summary>
    public static async Task<int> MigrateAsync(PostgresSession session, string storeDescription)
    {
        await session.ExecuteAsync(
            "SELECT pg_advisory_xact_lock(@lockClass, hashtext(coalesce(current_schema(), '')))", new { lockClass = MigrationLockClass }).ConfigureAwait(false);
        await session.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    integer NOT NULL PRIMARY KEY,
                name       text NOT NULL,
                applied_at double precision NOT NULL
            )
            """).ConfigureAwait(false);
        int current = await session.ScalarAsync<int>("SELECT coalesce(max(version), 0) FROM schema_version").ConfigureAwait(false);
        if (current > KnownVersion)
        {
            throw new SchemaTooNewException(storeDescription, current, KnownVersion);
        }

        int applied = 0;
        foreach (var script in Scripts.Where(s => s.Version > current))
        {
            await session.ExecuteAsync(script.Sql).ConfigureAwait(false);
            await session.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version = script.Version, name = script.Name, now = session.Now }).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }
}
