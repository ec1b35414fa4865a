using Npgsql;
using SweepCluster.Cli.Stores;

namespace SweepCluster.Bench.Cluster;

/// <summary>
/// The benchmark's PostgreSQL server (SWEEP_TEST_POSTGRES, the postgres:// URL scripts/postgres.sh prints) and
/// a fresh schema per run, reached through the connection string's Search Path like the tests' schemas, so the
/// store and the coordinator's journal start empty every time.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string _admin;

    private BenchPostgres(string admin, string schema)
    {
        _admin = admin;
        Schema = schema;
    }

    public string Schema { get; }

    /// <summary>A connection string into the schema, with a pool of at most <paramref name="poolSize"/> connections.</summary>
    public string ConnectionString(int poolSize) =>
        new NpgsqlConnectionStringBuilder(_admin) { SearchPath = Schema, MaxPoolSize = poolSize }.ConnectionString;

    public static string ServerConnectionString()
    {
        string url = Environment.GetEnvironmentVariable("SWEEP_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set SWEEP_TEST_POSTGRES: eval \"$(bash scripts/postgres.sh 2>/dev/null)\"");
        return PostgresUrl.ToConnectionString(url);
    }

    public static async Task<BenchPostgres> CreateSchemaAsync()
    {
        string admin = ServerConnectionString();
        string schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
        await ExecuteAsync(admin, $"CREATE SCHEMA {schema}");
        return new BenchPostgres(admin, schema);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
