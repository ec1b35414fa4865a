using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Sql;

/// <summary>
/// Brings a store to the newest schema this program knows: the numbered scripts of one provider, all in the
/// caller's transaction (DDL is transactional in both databases, so a failed upgrade leaves the previous schema
/// intact), each recorded in <c>schema_version</c>.
/// </summary>
internal sealed class SchemaMigrator
{
    private readonly string _createVersionTableSql;
    private readonly Lazy<IReadOnlyList<MigrationScript>> _scripts;

    /// <param name="provider">The folder of the scripts under <c>Migrations/</c>.</param>
    /// <param name="createVersionTableSql">CREATE TABLE IF NOT EXISTS schema_version (version, name, applied_at), in the provider's types.</param>
    public SchemaMigrator(string provider, string createVersionTableSql)
    {
        _createVersionTableSql = createVersionTableSql;
        _scripts = new(() => MigrationScripts.Load(provider));
    }

    public IReadOnlyList<MigrationScript> Scripts => _scripts.Value;

    public int KnownVersion => Scripts[^1].Version;

    /// <summary>Applies the missing scripts inside <paramref name="session"/> (a write transaction). Returns how many ran.</summary>
    public async Task<int> MigrateAsync(SqlSession session, string storeDescription)
    {
        await session.ExecuteAsync(_createVersionTableSql).ConfigureAwait(false);
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
