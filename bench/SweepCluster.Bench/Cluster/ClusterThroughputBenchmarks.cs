using System.Globalization;
using SweepCluster.Cluster.Settings;

namespace SweepCluster.Bench.Cluster;

/// <summary>
/// End-to-end throughput of no-op units through the real Akka path on loopback PostgreSQL: hand-out by the
/// coordinator singleton (journal on PostgreSQL), load + mark started + commit in the store by W worker nodes,
/// completion reports persisted by the coordinator. Reports units/s and the hand-out latency percentiles
/// (RequestUnits sent to UnitsHandedOutReply received, at the worker) as Markdown rows, medians of repeats.
/// </summary>
public static class ClusterThroughputBenchmarks
{
    /// <summary>The SQL-lease engine's figures (docs/benchmarks.md, issue 4, batch 4): first run, then the re-measurement.</summary>
    private static readonly Dictionary<int, (double First, double Remeasured)> Previous = new()
    {
        [1] = (439, 416),
        [8] = (1134, 1002),
        [32] = (1082, 724),
    };

    public static async Task RunAsync(IReadOnlyList<int> workerCounts, int units, int repeats, int slots, int claimBatch, int claimAhead)
    {
        var settings = ClusterRig.ShippedSettings(claimBatch, claimAhead);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{units} no-op units, one cell each; {slots} slot(s) per worker, hand-out batch {claimBatch}, claim-ahead {settings.ClaimAhead}; median of {repeats} runs."));
        Console.WriteLine();
        Console.WriteLine("| workers | units | wall time | units/s | SQL leases (first / re-measured) | ratio to re-measured | hand-out p50 | hand-out p99 | CPU per unit: nodes | PostgreSQL |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");

        // A small warm-up run: JIT, the journal's tables, PostgreSQL's caches.
        _ = await ClusterRig.RunAsync(BenchSweeps.NoOp(200), 1, slots, _ => new NoOpComputer(), settings, TimeSpan.FromMinutes(2));
        foreach (int workers in workerCounts)
        {
            var runs = new List<RigRun>();
            for (int r = 0; r < repeats; r++)
            {
                var run = await ClusterRig.RunAsync(BenchSweeps.NoOp(units), workers, slots, _ => new NoOpComputer(), settings, TimeSpan.FromMinutes(10));
                runs.Add(run);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# {workers} workers, run {r + 1}: {run.Seconds:0.00} s, {run.UnitsPerSecond:0} units/s, hand-out p50 {run.HandOutPercentile(0.5):0.0} ms p99 {run.HandOutPercentile(0.99):0.0} ms, CPU {run.Cpu.Process:0.0} s here + {run.Cpu.Postgres:0.0} s PostgreSQL"));
            }

            double Median(Func<RigRun, double> f) => Stats.Median(runs.Select(f));
            double rate = Median(r => r.UnitsPerSecond);
            string previous = Previous.TryGetValue(workers, out var p) ? $"{p.First:0} / {p.Remeasured:0}" : "-";
            string ratio = Previous.TryGetValue(workers, out p) ? $"{rate / p.Remeasured:0.0}x" : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workers} | {units} | {Median(r => r.Seconds):0.00} s | **{rate:0}** | {previous} | {ratio} | {Median(r => r.HandOutPercentile(0.5)):0.0} ms | {Median(r => r.HandOutPercentile(0.99)):0.0} ms | {Median(r => r.Cpu.Process / r.Units) * 1000:0.00} ms | {Median(r => r.Cpu.Postgres / r.Units) * 1000:0.00} ms |"));
        }
    }
}

/// <summary>Order statistics of small samples.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
