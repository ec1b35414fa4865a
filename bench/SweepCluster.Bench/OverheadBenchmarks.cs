using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Storage;
using SweepCluster.Storage.Postgres;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench;

/// <summary>
/// Coordination overhead on real d = 1000 units: the same units computed (a) by plain threads pulling from
/// an in-memory queue, with no store at all, and (b) by a worker and a coordinator on PostgreSQL with the
/// cluster settings, with and without claiming ahead. Runs are interleaved so that machine drift hits every
/// variant alike. Two figures per variant: the wall-time ratio against (a), which charges everything
/// (claims, commits, heartbeats, the coordinator, PostgreSQL's CPU on the same cores), and the slot gap, the
/// time from a unit's end to the start of the next unit on the freed slot, against the mean unit time.
/// </summary>
public static class OverheadBenchmarks
{
    private const int Slots = 2;

    public static async Task RunAsync(string connectionString, int units, int repeats)
    {
        var algebra = LinearAlgebraBackends.Create("openblas");
        var (sweep, plan) = D1000Sweep(units);
        var variants = new (string Name, Func<Task<RunTiming>> Run)[]
        {
            ("in-memory queue, no store (baseline)", () => Task.FromResult(RunWithoutStore(algebra, sweep, plan))),
            ("PostgreSQL, claim ahead 2 (cluster default)", () => RunOnPostgresAsync(connectionString, algebra, sweep, plan, claimAhead: 2)),
            ("PostgreSQL, claim ahead 0", () => RunOnPostgresAsync(connectionString, algebra, sweep, plan, claimAhead: 0)),
        };

        // A warm-up of each variant: JIT, OpenBLAS buffers, PostgreSQL's caches.
        var warmUp = D1000Sweep(Slots * 2);
        _ = RunWithoutStore(algebra, warmUp.Sweep, warmUp.Units);
        _ = await RunOnPostgresAsync(connectionString, algebra, warmUp.Sweep, warmUp.Units, claimAhead: 2);

        var timings = variants.Select(_ => new List<RunTiming>()).ToArray();
        for (int r = 0; r < repeats; r++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                var timing = await variants[v].Run();
                timings[v].Add(timing);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# repeat {r + 1}, {variants[v].Name}: wall {timing.WallSeconds:0.000} s, mean unit {timing.MeanUnitSeconds * 1000:0.0} ms, slot gap mean {timing.MeanGapSeconds * 1000:0.00} ms, median {timing.MedianGapSeconds * 1000:0.00} ms, max {timing.MaxGapSeconds * 1000:0.0} ms"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{units} simulation units of d = 1000, N = 2000 (k = 1, c = 1e-4), {Slots} slots, {repeats} interleaved repeats; medians."));
        Console.WriteLine();
        Console.WriteLine("| variant | wall time | vs baseline | mean unit time | slot gap: mean | median | mean gap / unit time |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        double baseline = Median(timings[0].Select(t => t.WallSeconds));
        for (int v = 0; v < variants.Length; v++)
        {
            double wall = Median(timings[v].Select(t => t.WallSeconds));
            double unit = Median(timings[v].Select(t => t.MeanUnitSeconds));
            double gap = Median(timings[v].Select(t => t.MeanGapSeconds));
            double medianGap = Median(timings[v].Select(t => t.MedianGapSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[v].Name} | {wall:0.000} s | {(wall / baseline - 1) * 100:+0.00;-0.00} % | {unit * 1000:0.0} ms | {gap * 1000:0.000} ms | {medianGap * 1000:0.000} ms | {gap / unit * 100:0.000} % |"));
        }
    }

    /// <summary>One cell per unit: one training set of d = 1000, N = 2000 per seed.</summary>
    private static (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) D1000Sweep(int units)
    {
        string id = "overhead-" + Guid.NewGuid().ToString("N")[..8];
        var config = new ModelConfig { D = 1000, N = 2000, C = 1e-4, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var cells = Enumerable.Range(1, units).Select(s => CellParameters.Simulation(config, s)).ToArray();
        var sweep = new SweepDefinition(id, id, id, cells, new Dictionary<string, string>());
        var plan = cells.Select(c => new UnitDefinition(CellParameters.Hash(id + "|" + c.Id), id, UnitKind.Simulation, c.GroupKey, [c.Id], 1.0)).ToArray();
        return (sweep, plan);
    }

    private static RunTiming RunWithoutStore(ILinearAlgebra algebra, SweepDefinition sweep, IReadOnlyList<UnitDefinition> plan)
    {
        var cells = sweep.Cells.ToDictionary(c => c.Id);
        var queue = new ConcurrentQueue<IReadOnlyList<CellDefinition>>(plan.Select(u => (IReadOnlyList<CellDefinition>)u.CellIds.Select(id => cells[id]).ToArray()));
        var spectra = new SpectrumCache();
        var recorder = new SpanRecorder();
        var computer = recorder.Around(new UnitComputer(algebra, spectra.Get));
        var watch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Slots).Select(_ => new Thread(() =>
        {
            while (queue.TryDequeue(out var unit))
            {
                computer.Compute(unit);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return recorder.Timing(watch.Elapsed.TotalSeconds);
    }

    private static async Task<RunTiming> RunOnPostgresAsync(string connectionString, ILinearAlgebra algebra, SweepDefinition sweep, IReadOnlyList<UnitDefinition> plan, int claimAhead)
    {
        string schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        await CoordinationBenchmarks.ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}");
        try
        {
            string cs = $"{connectionString};Search Path={schema}";
            // The shipped cluster settings (cluster-config/cluster.json), with the claim-ahead under test.
            var settings = new ClusterSettings
            {
                LeaseDuration = TimeSpan.FromSeconds(60),
                HeartbeatInterval = TimeSpan.FromSeconds(10),
                PollInterval = TimeSpan.FromSeconds(1),
                ClaimBatch = 4,
                ClaimAhead = claimAhead,
                MaxAttempts = 5,
                ProgressInterval = TimeSpan.FromSeconds(10),
            };
            await using var workerStore = PostgresSweepStore.Create(cs, "bench-worker");
            await using var coordinatorStore = PostgresSweepStore.Create(cs, "bench-coordinator");
            await workerStore.MigrateAsync();
            await workerStore.SubmitAsync(sweep, plan);

            var recorder = new SpanRecorder();
            using var stopCoordinator = new CancellationTokenSource();
            var coordinator = NodeRunner.RunCoordinatorAsync(coordinatorStore, [sweep.Id], settings, Serilog.Core.Logger.None, untilDone: true, stopCoordinator.Token);
            var watch = Stopwatch.StartNew();
            await NodeRunner.RunWorkerAsync(
                workerStore,
                spectra => recorder.Around(new UnitComputer(algebra, spectra.Get)),
                new WorkerOptions("bench-worker", Slots, sweep.Id, ExitWhenIdle: true),
                settings,
                Serilog.Core.Logger.None,
                CancellationToken.None);
            double wall = watch.Elapsed.TotalSeconds;
            await stopCoordinator.CancelAsync();
            await coordinator;

            var progress = await workerStore.GetProgressAsync(sweep.Id);
            if (progress.UnitsDone != plan.Count || progress.CellsDone != plan.Count)
            {
                throw new InvalidOperationException($"only {progress.UnitsDone} of {plan.Count} units done");
            }

            return recorder.Timing(wall);
        }
        finally
        {
            await CoordinationBenchmarks.ExecuteAsync(connectionString, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record RunTiming(double WallSeconds, double MeanUnitSeconds, double MeanGapSeconds, double MedianGapSeconds, double MaxGapSeconds);

    /// <summary>Records when each computation starts and ends, on one clock, whichever slot runs it.</summary>
    private sealed class SpanRecorder
    {
        private readonly ConcurrentBag<(long Start, long End)> _spans = [];

        public RecordingComputer Around(IUnitComputer computer) => new RecordingComputer(computer, this);

        public void Add(long start, long end) => _spans.Add((start, end));

        /// <summary>
        /// While every slot is busy, the k-th end (in time order) frees the slot on which the (k + slots)-th
        /// start happens: the gap between them is time that slot spent waiting for the engine.
        /// </summary>
        public RunTiming Timing(double wallSeconds)
        {
            var spans = _spans.ToArray();
            var starts = spans.Select(s => s.Start).Order().ToArray();
            var ends = spans.Select(s => s.End).Order().ToArray();
            double meanUnit = spans.Average(s => Stopwatch.GetElapsedTime(s.Start, s.End).TotalSeconds);
            var gaps = Enumerable.Range(0, starts.Length - Slots).Select(k => Stopwatch.GetElapsedTime(ends[k], starts[k + Slots]).TotalSeconds).ToArray();
            return gaps.Length == 0
                ? new RunTiming(wallSeconds, meanUnit, 0, 0, 0)
                : new RunTiming(wallSeconds, meanUnit, gaps.Average(), Median(gaps), gaps.Max());
        }
    }

    private sealed class RecordingComputer(IUnitComputer inner, SpanRecorder recorder) : IUnitComputer
    {
        public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells)
        {
            long start = Stopwatch.GetTimestamp();
            var outcomes = inner.Compute(cells);
            recorder.Add(start, Stopwatch.GetTimestamp());
            return outcomes;
        }
    }
}
