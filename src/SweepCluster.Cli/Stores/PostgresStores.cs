using SweepCluster.Storage;

namespace SweepCluster.Cli.Stores;

/// <summary>Opens the PostgreSQL store (cluster mode).</summary>
public static class PostgresStores
{
    public static ISweepStore Create(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        throw new StoreLocationException($"PostgreSQL stores are not available in this build ({location.Redacted})");
    }
}
