using System.Diagnostics;
using System.Globalization;
using Serilog;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.Configuration;
using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench;

/// <summary>
/// Engine overhead: units per second through claim, compute and commit when the compute does nothing,
/// so what is measured is the protocol (store transactions, actor messages) alone.
/// </summary>
public static class EngineBenchmarks
{
    public static async Task RunAsync(int units)
    {
        Console.WriteLine();
        Console.WriteLine("| store | units | slots | claim batch | wall time | units/s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (slots, batch) in new[] { (1, 1), (2, 8), (8, 8), (32, 32) })
        {
            string dir = Directory.CreateTempSubdirectory("sweep-bench").FullName;
            try
            {
                await using var store = SqliteSweepStore.Open(Path.Combine(dir, "bench.db"));
                await store.MigrateAsync();
                var (sweep, plan) = NoOpSweep(units);
                await store.SubmitAsync(sweep, plan);
                var settings = new ClusterSettings { ClaimBatch = batch, PollInterval = TimeSpan.FromMilliseconds(20) };
                var watch = Stopwatch.StartNew();
                await NodeRunner.RunWorkerAsync(store, _ => new NoOpComputer(), new WorkerOptions("bench", slots, sweep.Id, ExitWhenIdle: true), settings, Serilog.Core.Logger.None, CancellationToken.None);
                double seconds = watch.Elapsed.TotalSeconds;
                var progress = await store.GetProgressAsync(sweep.Id);
                if (progress.UnitsDone != units)
                {
                    throw new InvalidOperationException($"only {progress.UnitsDone} of {units} units done");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| SQLite (WAL) | {units} | {slots} | {batch} | {seconds:0.00} s | **{units / seconds:0}** |"));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }

    public static (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) NoOpSweep(int units)
    {
        var cells = Enumerable.Range(0, units).Select(s => CellParameters.Simulation(new ModelConfig { D = 4, N = 8 }, s)).ToArray();
        var sweep = new SweepDefinition("bench", "bench", "bench", cells, new Dictionary<string, string>());
        var plan = cells.Select(c => new UnitDefinition(CellParameters.Hash("bench|" + c.Id), "bench", UnitKind.Simulation, c.GroupKey, [c.Id], 1.0)).ToArray();
        return (sweep, plan);
    }

    /// <summary>Returns an empty ok result per cell at once.</summary>
    internal sealed class NoOpComputer : IUnitComputer
    {
        public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells) =>
            cells.Select(c => new TimedOutcome(new CellOutcome(c.Id, ResultStatus.Ok, new Model.Metrics.CellMetrics(), null), 0)).ToArray();
    }
}
