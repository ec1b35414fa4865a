using SweepCluster.Storage;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Cli.Stores;

/// <summary>Opens the PostgreSQL store (cluster mode) from a postgres:// URL; only the redacted form is ever shown.</summary>
public static class PostgresStores
{
    public static ISweepStore Create(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return PostgresSweepStore.Create(PostgresUrl.ToConnectionString(location.Value), location.Redacted);
    }
}
