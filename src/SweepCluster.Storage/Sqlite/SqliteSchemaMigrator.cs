using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// Brings a SQLite store to the newest schema this program knows, one transaction for all the scripts
/// (SQLite's DDL is transactional, so a failed upgrade leaves the previous schema intact).
/// </summary>
internal static class SqliteSchemaMigrator
{
    public const string Provider = "Sqlite";

    private static readonly Lazy<IReadOnlyList<MigrationScript>> s_scripts = new(() => MigrationScripts.Load(Provider));

    public static IReadOnlyList<MigrationScript> Scripts => s_scripts.Value;

    public static int KnownVersion => Scripts[^1].Version;

    /// <summary>Applies the missing scripts inside <paramref name="session"/> (a write transaction). Returns how many ran.</summary>
    public static async Task<int> MigrateAsync(SqliteSession session, string storeDescription)
    {
        await session.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at REAL NOT NULL
            ) STRICT
            """).ConfigureAwait(false);
        long current = await session.ScalarAsync<long>("SELECT coalesce(max(version), 0) FROM schema_version").ConfigureAwait(false);
        if (current > KnownVersion)
        {
            throw new SchemaTooNewException(storeDescription, (int)current, KnownVersion);
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
