using SweepCluster.Storage.Schema;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// The SQLite scripts (<c>Migrations/Sqlite/</c>). No lock of their own: the migration's write transaction holds
/// the file's write lock, so a second process migrating at once waits, then finds the schema current.
/// </summary>
internal static class SqliteSchemaMigrator
{
    private static readonly SchemaMigrator s_migrator = new("Sqlite", """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at REAL NOT NULL
        ) STRICT
        """);

    public static IReadOnlyList<MigrationScript> Scripts => s_migrator.Scripts;

    public static int KnownVersion => s_migrator.KnownVersion;

    /// <summary>Applies the missing scripts inside <paramref name="session"/> (a write transaction). Returns how many ran.</summary>
    public static Task<int> MigrateAsync(SqlSession session, string storeDescription) => s_migrator.MigrateAsync(session, storeDescription);
}
