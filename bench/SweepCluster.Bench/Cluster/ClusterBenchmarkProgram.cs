using System.Diagnostics;
using System.Globalization;

namespace SweepCluster.Bench.Cluster;

/// <summary>
/// The Akka cluster benchmarks on PostgreSQL (SWEEP_TEST_POSTGRES):
/// <c>cluster-throughput W[,W...] UNITS [REPEATS] [SLOTS] [BATCH] [AHEAD]</c> and <c>cluster-overhead UNITS REPEATS SLOTS</c>.
/// </summary>
public static class ClusterBenchmarkProgram
{
    public static int Run(string what, string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (what == "cluster-throughput")
        {
            var workers = (args.Length > 0 ? args[0] : "1,8,32").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
            ClusterThroughputBenchmarks.RunAsync(workers, Arg(1, 20000), Arg(2, 3), Arg(3, 1), Arg(4, 4), Arg(5, 2)).GetAwaiter().GetResult();
        }
        else
        {
            ClusterOverheadBenchmarks.RunAsync(Arg(0, 100), Arg(1, 5), Arg(2, Environment.ProcessorCount)).GetAwaiter().GetResult();
        }

        Console.WriteLine($"# peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB");
        return 0;
    }
}
