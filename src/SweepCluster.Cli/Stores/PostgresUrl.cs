namespace SweepCluster.Cli.Stores;

/// <summary>postgres://user:password@host:port/db URLs: parsing to a connection string and redaction.</summary>
public static class PostgresUrl
{
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "postgres://(unparseable url)";
        }

        string user = uri.UserInfo.Split(':')[0];
        string port = uri.IsDefaultPort || uri.Port < 0 ? string.Empty : ":" + uri.Port;
        return $"postgres://{(user.Length > 0 ? Uri.UnescapeDataString(user) + (uri.UserInfo.Contains(':', StringComparison.Ordinal) ? ":***" : string.Empty) + "@" : string.Empty)}{uri.Host}{port}{uri.AbsolutePath}";
    }

    /// <summary>An Npgsql connection string for the URL (host, port, database, user, password, and query options).</summary>
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new StoreLocationException($"not a valid PostgreSQL URL: {Redact(url)} (expected postgres://user:password@host:port/database)");
        }

        var parts = new List<string> { $"Host={uri.Host}", $"Port={(uri.Port > 0 ? uri.Port : 5432)}" };
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            parts.Add($"Database={Quote(database)}");
        }

        string[] userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            parts.Add($"Username={Quote(Uri.UnescapeDataString(userInfo[0]))}");
        }

        if (userInfo.Length > 1)
        {
            parts.Add($"Password={Quote(Uri.UnescapeDataString(userInfo[1]))}");
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            parts.Add($"{Uri.UnescapeDataString(kv[0])}={Quote(kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty)}");
        }

        return string.Join(';', parts);
    }

    private static string Quote(string value) => value.IndexOfAny([';', '=', '\'', '"', ' ']) >= 0 ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
}
