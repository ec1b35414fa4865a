using Npgsql;
using SweepCluster.Storage;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Cli.Stores;

/// <summary>Opens the PostgreSQL store (cluster mode) from a postgres:// URL; only the redacted form is ever shown.</summary>
public static class PostgresStores
{
    /// <summary>
    /// Retries of a reading command (status, export, report): someone at a terminal waits for it, so it gives up on a
    /// server that refuses or never answers within about 20 s (3 connection attempts of at most
    /// <see cref="ReadingConnectTimeoutSeconds"/> s). Long-running nodes keep the default policy, which rides out a
    /// server restart.
    /// </summary>
    public static readonly PostgresRetryPolicy ReadingRetries = new(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    /// <summary>The connection timeout of a reading command, unless the URL sets Timeout itself.</summary>
    public const int ReadingConnectTimeoutSeconds = 5;

    public static ISweepStore Create(StoreLocation location, bool forReading = false)
    {
        ArgumentNullException.ThrowIfNull(location);
        string connectionString = PostgresUrl.ToConnectionString(location.Value);
        if (!forReading)
        {
            return PostgresSweepStore.Create(connectionString, location.Redacted);
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Timeout == new NpgsqlConnectionStringBuilder().Timeout)
        {
            builder.Timeout = ReadingConnectTimeoutSeconds;
        }

        return PostgresSweepStore.Create(builder.ConnectionString, location.Redacted, ReadingRetries);
    }
}
