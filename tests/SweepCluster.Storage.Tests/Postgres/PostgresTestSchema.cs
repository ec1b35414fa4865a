using Npgsql;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// A PostgreSQL schema of its own for one test, dropped with everything in it afterwards: the PostgreSQL
/// counterpart of a fresh SQLite file. Stores reach it through the connection string's <c>Search Path</c>, so
/// tests can run side by side in one database without seeing each other's rows.
/// </summary>
public sealed class PostgresTestSchema : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    // The test's own statements, unpooled like the admin connection, inside the schema.
    private readonly string _schemaConnectionString;

    private PostgresTestSchema(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        _schemaConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { SearchPath = name }.ConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { SearchPath = name, Pooling = true }.ConnectionString;
    }

    /// <summary>The schema's name: <c>t_</c> and a GUID, lower case, so it needs no quoting.</summary>
    public string Name { get; }

    /// <summary>A connection string whose search path is this schema alone.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestSchema> CreateAsync()
    {
        // Unpooled: the test's own connections should not outlive it; the stores bring their own pools.
        string admin = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.RequireConnectionString()) { Pooling = false }.ConnectionString;
        var schema = new PostgresTestSchema(admin, "t_" + Guid.NewGuid().ToString("N"));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema.Name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return schema;
    }

    /// <summary>A store over this schema (not migrated), with its own connection pool.</summary>
    public PostgresSweepStore CreateStore(PostgresRetryPolicy? retryPolicy = null) =>
        PostgresSweepStore.Create(ConnectionString, $"postgres test schema {Name}", retryPolicy);

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> QueryTextAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        // The server may have just restarted under a fault test: give it a moment rather than leave the schema behind.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_adminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 10)
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_schemaConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
