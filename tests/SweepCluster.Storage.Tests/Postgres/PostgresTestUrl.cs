using Npgsql;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// postgres://user:password@host:port/database URLs (the form scripts/postgres.sh prints) as Npgsql
/// connection strings. The CLI has its own parser; the tests keep this one so they depend on the store alone.
/// </summary>
public static class PostgresTestUrl
{
    public static string ToConnectionString(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || uri.Host.Length == 0)
        {
            // Never echo the URL: it holds the password.
            throw new FormatException("SWEEP_TEST_POSTGRES must look like postgres://user:password@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        string[] userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
