using System.Diagnostics;
using System.Globalization;
using SweepCluster.Model.Metrics;
using SweepCluster.Storage;
using SweepCluster.Storage.Postgres;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Bench;

/// <summary>
/// Coordination throughput on PostgreSQL with no-op units: W concurrent workers (each with its own
/// connection pool, as separate pods would have) loop claim(1) then complete, until the queue is empty.
/// Reports claims+commits per second and the claim latency percentiles.
/// </summary>
public static class CoordinationBenchmarks
{
    public static async Task RunAsync(string connectionString, int units, int batch = 1)
    {
        Console.WriteLine();
        Console.WriteLine("| store | workers | claim batch | units | wall time | units claimed+committed/s | claim p50 | claim p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (int workers in new[] { 1, 8, 32, 64 })
        {
            string schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
            string cs = $"{connectionString};Search Path={schema};Maximum Pool Size=2";
            await using (var admin = PostgresSweepStore.Create(connectionString, "bench-admin"))
            {
                await ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}");
            }

            try
            {
                var stores = Enumerable.Range(0, workers).Select(_ => PostgresSweepStore.Create(cs, "bench")).ToArray();
                await stores[0].MigrateAsync();
                var (sweep, plan) = EngineBenchmarks.NoOpSweep(units);
                await stores[0].SubmitAsync(sweep, plan);
                var latencies = new List<double>[workers];
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
                {
                    var mine = latencies[w] = [];
                    string node = $"bench-{w}";
                    await stores[w].RegisterNodeAsync(new NodeRegistration(node, "bench", Environment.ProcessId, 1, "worker"));
                    while (true)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        var claimed = await stores[w].ClaimAsync(node, batch, TimeSpan.FromMinutes(5), sweep.Id);
                        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        if (claimed.Count == 0)
                        {
                            break;
                        }

                        foreach (var unit in claimed)
                        {
                            var results = unit.Cells.Select(c => new StoredResult(c.Id, ResultStatus.Ok, MetricsJson.Write(new CellMetrics()), null, 0)).ToArray();
                            await stores[w].CompleteAsync(unit.Lease, results);
                        }
                    }
                }));
                double seconds = watch.Elapsed.TotalSeconds;
                var all = latencies.SelectMany(l => l).Order().ToArray();
                double P(double q) => all[(int)Math.Min(all.Length - 1, Math.Floor(q * all.Length))];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| PostgreSQL 15 (loopback) | {workers} | {batch} | {units} | {seconds:0.00} s | **{units / seconds:0}** | {P(0.5):0.0} ms | {P(0.99):0.0} ms |"));
                foreach (var s in stores)
                {
                    await s.DisposeAsync();
                }
            }
            finally
            {
                await ExecuteAsync(connectionString, $"DROP SCHEMA {schema} CASCADE");
            }
        }
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
