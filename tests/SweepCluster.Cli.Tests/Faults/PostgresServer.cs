using System.Diagnostics;
using Npgsql;

namespace SweepCluster.Cli.Tests.Faults;

/// <summary>
/// The PostgreSQL server of the fault tests (started by scripts/postgres.sh, which also prints the URL in
/// SWEEP_TEST_POSTGRES). Each test gets its own schema, reached through the URL's Search Path option.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "SWEEP_TEST_POSTGRES";

    /// <summary>The server URL, or null (and the reason) when the tests cannot run. Under CI a missing server fails.</summary>
    public static string? Url(out string reason)
    {
        string? url = Environment.GetEnvironmentVariable(Variable);
        reason = $"{Variable} is not set (run scripts/postgres.sh, or scripts/test.sh which does it)";
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "PostgreSQL is required under CI: " + reason);
            return null;
        }

        return url;
    }

    public static string ConnectionString(string url, string? schema = null)
    {
        var uri = new Uri(url);
        string[] user = uri.UserInfo.Split(':', 2);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Pooling = false,
        };
        if (schema is not null)
        {
            b.SearchPath = schema;
        }

        return b.ConnectionString;
    }

    public static string CreateSchema(string url)
    {
        string schema = "fault_" + Guid.NewGuid().ToString("N")[..10];
        Execute(url, null, $"CREATE SCHEMA {schema}");
        return schema;
    }

    public static void DropSchema(string url, string schema) => Execute(url, null, $"DROP SCHEMA IF EXISTS {schema} CASCADE");

    /// <summary>The sweep URL for a schema: the CLI passes query options through to the driver.</summary>
    public static string SchemaUrl(string url, string schema) => $"{url}?Search%20Path={schema}";

    public static long Scalar(string url, string schema, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(url, schema));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> Strings(string url, string schema, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(url, schema));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? string.Empty : reader.GetValue(0).ToString()!);
        }

        return values;
    }

    /// <summary>Restarts the server with the project's own script and waits until it accepts connections.</summary>
    public static void Restart()
    {
        string root = RepositoryRoot();
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(root, "scripts", "postgres.sh"));
        psi.ArgumentList.Add("restart");
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)) && p.ExitCode == 0, "scripts/postgres.sh restart failed: " + err);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SweepCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SweepCluster.sln not found above the test binaries");
    }

    private static void Execute(string url, string? schema, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(url, schema));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
