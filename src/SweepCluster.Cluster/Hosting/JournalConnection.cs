namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Where Akka.Persistence.Sql keeps the coordinator's journal and snapshots: the store's own database, so that
/// results and the coordinator's state live and are backed up together.
/// </summary>
/// <param name="ConnectionString">The ADO.NET connection string (never logged).</param>
/// <param name="ProviderName">The linq2db provider: SQLite.MS or PostgreSQL.15.</param>
/// <param name="Schema">The PostgreSQL schema the store lives in, or null for the default.</param>
public sealed record JournalConnection(string ConnectionString, string ProviderName, string? Schema)
{
    /// <summary>The embedded store's SQLite file; writers of both the store and the journal wait on each other's locks.</summary>
    public static JournalConnection Sqlite(string path) =>
        new($"Data Source={Path.GetFullPath(path)};Default Timeout=30", "SQLite.MS", null);

    public static JournalConnection Postgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        string? schema = string.IsNullOrWhiteSpace(builder.SearchPath) ? null : builder.SearchPath.Split(',')[0].Trim();
        return new(connectionString, "PostgreSQL.15", schema);
    }

    public override string ToString() => ProviderName;
}
