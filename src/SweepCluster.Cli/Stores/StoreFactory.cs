using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;

namespace SweepCluster.Cli.Stores;

/// <summary>The composition root's choice of store implementation, from the location's scheme.</summary>
public static class StoreFactory
{
    public static async Task<ISweepStore> OpenAsync(StoreLocation location, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ISweepStore store;
        try
        {
            store = location.IsPostgres
                ? PostgresStores.Create(location)
                : SqliteSweepStore.Open(location.Value);
        }
        catch (Exception e) when (e is not StoreLocationException and not OperationCanceledException)
        {
            throw new StoreLocationException($"cannot open the store {location.Redacted}: {Redact(e.Message, location)}", e);
        }

        try
        {
            if (migrate)
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }

            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new StoreLocationException($"cannot use the store {location.Redacted}: {Redact(e.Message, location)}", e);
        }
    }

    /// <summary>Driver messages may quote the connection string; the password must not reach a log line.</summary>
    public static string Redact(string message, StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(location);
        if (!location.IsPostgres || !Uri.TryCreate(location.Value, UriKind.Absolute, out var uri))
        {
            return message;
        }

        string[] userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo.Length < 2 || userInfo[1].Length == 0)
        {
            return message;
        }

        return message
            .Replace(userInfo[1], "***", StringComparison.Ordinal)
            .Replace(Uri.UnescapeDataString(userInfo[1]), "***", StringComparison.Ordinal);
    }
}
