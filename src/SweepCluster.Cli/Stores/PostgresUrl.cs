using System.Globalization;

namespace SweepCluster.Cli.Stores;

/// <summary>
/// postgres://user:password@host:port/database?options URLs: parsing to a connection string, and redaction.
/// </summary>
/// <remarks>
/// The parts are found by position, not with <see cref="Uri"/>: the user information runs from the scheme to the
/// last '@', so a password holding '/', '?', '#' or '@' unescaped still ends up in the password and never in the
/// host or the path that messages show. Redaction cuts that range out instead of searching for the password's text,
/// which would also blank a user name or database name equal to it (postgres://postgres:postgres@host/postgres).
/// </remarks>
public static class PostgresUrl
{
    /// <summary>The schemes accepted for a PostgreSQL store.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["postgres", "postgresql"];

    private const string Expected = "postgres://user:password@host:port/database";

    /// <summary>
    /// The URL with its password replaced by *** and its query left out (options such as ?password= may hold
    /// secrets too); the rest as given. Safe for logs and messages.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = Locate(url);
        int query = url.IndexOf('?', parts.HostStart);
        string shown = query < 0 ? url : url[..query];
        return parts.PasswordStart < 0
            ? shown
            : string.Concat(shown.AsSpan(0, parts.PasswordStart), "***", shown.AsSpan(parts.PasswordEnd));
    }

    /// <summary>An Npgsql connection string for the URL (host, port, database, user, password, and query options).</summary>
    /// <exception cref="StoreLocationException">The URL has no host or an impossible port; the message holds no password.</exception>
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = Locate(url);
        string rest = url[parts.HostStart..];
        int pathAt = rest.IndexOfAny(['/', '?']);
        string hostPort = pathAt < 0 ? rest : rest[..pathAt];
        string afterHost = pathAt < 0 ? string.Empty : rest[pathAt..];
        var (host, port) = SplitHostPort(hostPort, url);
        if (host.Length == 0)
        {
            throw new StoreLocationException($"the PostgreSQL URL {Redact(url)} names no host; expected {Expected}");
        }

        var settings = new List<string> { $"Host={Quote(host)}", string.Create(CultureInfo.InvariantCulture, $"Port={port}") };
        int query = afterHost.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? afterHost : afterHost[..query];
        string database = Uri.UnescapeDataString(path.TrimStart('/'));
        if (database.Length > 0)
        {
            settings.Add($"Database={Quote(database)}");
        }

        if (parts.UserStart >= 0)
        {
            string user = Uri.UnescapeDataString(url[parts.UserStart..parts.UserEnd]);
            if (user.Length > 0)
            {
                settings.Add($"Username={Quote(user)}");
            }
        }

        if (parts.PasswordStart >= 0)
        {
            settings.Add($"Password={Quote(Uri.UnescapeDataString(url[parts.PasswordStart..parts.PasswordEnd]))}");
        }

        if (query >= 0)
        {
            foreach (string pair in afterHost[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] kv = pair.Split('=', 2);
                settings.Add($"{Uri.UnescapeDataString(kv[0])}={Quote(kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty)}");
            }
        }

        return string.Join(';', settings);
    }

    /// <summary>The password of the URL, decoded; null when it has none.</summary>
    public static string? PasswordOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = Locate(url);
        return parts.PasswordStart < 0 ? null : Uri.UnescapeDataString(url[parts.PasswordStart..parts.PasswordEnd]);
    }

    /// <summary>Where the user, the password and the host start and end in a URL; -1 for a part that is absent.</summary>
    private readonly record struct Positions(int UserStart, int UserEnd, int PasswordStart, int PasswordEnd, int HostStart);

    private static Positions Locate(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        int authority = scheme < 0 ? 0 : scheme + 3;
        int at = url.LastIndexOf('@');
        if (at < authority)
        {
            return new Positions(-1, -1, -1, -1, authority);
        }

        int colon = url.IndexOf(':', authority, at - authority);
        return colon < 0
            ? new Positions(authority, at, -1, -1, at + 1)
            : new Positions(authority, colon, colon + 1, at, at + 1);
    }

    private static (string Host, int Port) SplitHostPort(string hostPort, string url)
    {
        string host = hostPort;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            // [::1]:5432, an IPv6 address in brackets.
            int close = hostPort.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? hostPort : hostPort[1..close];
            port = close >= 0 && close + 1 < hostPort.Length && hostPort[close + 1] == ':' ? hostPort[(close + 2)..] : null;
        }
        else if (hostPort.LastIndexOf(':') is int colon and >= 0)
        {
            host = hostPort[..colon];
            port = hostPort[(colon + 1)..];
        }

        if (string.IsNullOrEmpty(port))
        {
            return (host, 5432);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= 65535
            ? (host, number)
            : throw new StoreLocationException($"the PostgreSQL URL {Redact(url)} has port '{port}'; a port is a number from 1 to 65535 (default 5432)");
    }

    private static string Quote(string value) => value.IndexOfAny([';', '=', '\'', '"', ' ']) >= 0 ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
}
