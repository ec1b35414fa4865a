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
    /// <summary>The same protocol with computations that return at once: the CPU the engine and PostgreSQL spend per unit, alone.</summary>
    private const string NoOpVariant = "PostgreSQL, claim ahead 2, no-op units (coordination CPU alone)";

    public static async Task RunAsync(string connectionString, int units, int repeats, int slots)
    {
        var algebra = LinearAlgebraBackends.Create("openblas");
        var (sweep, plan) = D1000Sweep(units);

        // Enough no-op units that start-up and shut-down weigh little in the per-unit figure.
        var noOp = D1000Sweep(Math.Max(units, 1000));
        var variants = new (string Name, Func<Task<RunTiming>> Run)[]
        {
            ("in-memory queue, no store (baseline)", () => RunWithoutStoreAsync(algebra, sweep, plan, slots)),
            ("PostgreSQL, claim ahead 2 (cluster default)", () => RunOnPostgresAsync(connectionString, Real(algebra), sweep, plan, slots, claimAhead: 2)),
            ("PostgreSQL, claim ahead 0", () => RunOnPostgresAsync(connectionString, Real(algebra), sweep, plan, slots, claimAhead: 0)),
            (NoOpVariant, () => RunOnPostgresAsync(connectionString, _ => new EngineBenchmarks.NoOpComputer(), noOp.Sweep, noOp.Units, slots, claimAhead: 2)),
        };

        // A warm-up of each variant: JIT, OpenBLAS buffers, PostgreSQL's caches.
        var warmUp = D1000Sweep(slots * 2);
        _ = await RunWithoutStoreAsync(algebra, warmUp.Sweep, warmUp.Units, slots);
        _ = await RunOnPostgresAsync(connectionString, Real(algebra), warmUp.Sweep, warmUp.Units, slots, claimAhead: 2);

        var timings = variants.Select(_ => new List<RunTiming>()).ToArray();
        for (int r = 0; r < repeats; r++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                var timing = await variants[v].Run();
                timings[v].Add(timing);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# repeat {r + 1}, {variants[v].Name}: wall {timing.WallSeconds:0.000} s, mean unit {timing.MeanUnitSeconds * 1000:0.0} ms, slot gap mean {timing.MeanGapSeconds * 1000:0.00} ms, median {timing.MedianGapSeconds * 1000:0.00} ms, max {timing.MaxGapSeconds * 1000:0.0} ms, CPU {timing.ProcessCpuSeconds:0.00} s (this process; {timing.OtherCpuSeconds:0.000} s outside computations) + {timing.PostgresCpuSeconds:0.00} s (PostgreSQL)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{units} simulation units of d = 1000, N = 2000 (k = 1, c = 1e-4), {slots} slots, {Environment.ProcessorCount} cores available to this process, {repeats} interleaved repeats; medians."));
        Console.WriteLine();
        Console.WriteLine("| variant | wall time: median | vs baseline | best | vs baseline | mean unit time | slot gap: mean | median | mean gap / unit time | CPU per unit outside computations | PostgreSQL CPU per unit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        double baseline = Median(timings[0].Select(t => t.WallSeconds));
        double baselineBest = timings[0].Min(t => t.WallSeconds);
        for (int v = 0; v < variants.Length; v++)
        {
            double wall = Median(timings[v].Select(t => t.WallSeconds));
            double unit = Median(timings[v].Select(t => t.MeanUnitSeconds));
            double gap = Median(timings[v].Select(t => t.MeanGapSeconds));
            double medianGap = Median(timings[v].Select(t => t.MedianGapSeconds));
            double best = timings[v].Min(t => t.WallSeconds);
            double otherCpu = Median(timings[v].Select(t => t.OtherCpuSeconds / t.Units));
            double postgresCpu = Median(timings[v].Select(t => t.PostgresCpuSeconds / t.Units));
            if (variants[v].Name == NoOpVariant)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[v].Name} | - | - | - | - | - | - | - | - | {otherCpu * 1000:0.00} ms | {postgresCpu * 1000:0.00} ms |"));
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[v].Name} | {wall:0.000} s | {(wall / baseline - 1) * 100:+0.00;-0.00} % | {best:0.000} s | {(best / baselineBest - 1) * 100:+0.00;-0.00} % | {unit * 1000:0.0} ms | {gap * 1000:0.000} ms | {medianGap * 1000:0.000} ms | {gap / unit * 100:0.000} % | {otherCpu * 1000:0.00} ms | {postgresCpu * 1000:0.00} ms |"));
        }

        // What one d = 1000 unit costs in CPU (computation, its parallel parts and the runtime), against what
        // coordinating it costs: in this process (worker, result writer, coordinator, Npgsql) and in PostgreSQL.
        int alone = Array.FindIndex(variants, v => v.Name == NoOpVariant);
        double unitCpu = Median(timings[0].Select(t => t.ProcessCpuSeconds / t.Units));
        double engineCpu = Median(timings[alone].Select(t => t.ProcessCpuSeconds / t.Units));
        double serverCpu = Median(timings[alone].Select(t => t.PostgresCpuSeconds / t.Units));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per unit: the d = 1000 unit {unitCpu * 1000:0.0} ms; coordinating it {engineCpu * 1000:0.00} ms in the worker process ({engineCpu / unitCpu * 100:0.00} %) and {serverCpu * 1000:0.00} ms in PostgreSQL ({serverCpu / unitCpu * 100:0.00} %)."));
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

    /// <summary>
    /// Plain threads, one per slot, draining a queue. The caller awaits them instead of joining: a pool thread
    /// blocked in Join would starve the thread pool that the training set's parallel generation runs on.
    /// </summary>
    private static async Task<RunTiming> RunWithoutStoreAsync(ILinearAlgebra algebra, SweepDefinition sweep, IReadOnlyList<UnitDefinition> plan, int slots)
    {
        var cells = sweep.Cells.ToDictionary(c => c.Id);
        var queue = new ConcurrentQueue<IReadOnlyList<CellDefinition>>(plan.Select(u => (IReadOnlyList<CellDefinition>)u.CellIds.Select(id => cells[id]).ToArray()));
        var spectra = new SpectrumCache();
        var recorder = new SpanRecorder(slots);
        var computer = recorder.Around(new UnitComputer(algebra, spectra.Get));
        var cpu = CpuSample.Now();
        var watch = Stopwatch.StartNew();
        var finished = Enumerable.Range(0, slots).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        foreach (var done in finished)
        {
            new Thread(() =>
            {
                while (queue.TryDequeue(out var unit))
                {
                    computer.Compute(unit);
                }

                done.SetResult();
            }).Start();
        }

        await Task.WhenAll(finished.Select(f => f.Task));

        return recorder.Timing(watch.Elapsed.TotalSeconds) with { ProcessCpuSeconds = CpuSample.Now().Process - cpu.Process, PostgresCpuSeconds = CpuSample.Now().Postgres - cpu.Postgres };
    }

    private static Func<SpectrumCache, IUnitComputer> Real(ILinearAlgebra algebra) => spectra => new UnitComputer(algebra, spectra.Get);

    private static async Task<RunTiming> RunOnPostgresAsync(string connectionString, Func<SpectrumCache, IUnitComputer> computers, SweepDefinition sweep, IReadOnlyList<UnitDefinition> plan, int slots, int claimAhead)
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

            var recorder = new SpanRecorder(slots);
            using var stopCoordinator = new CancellationTokenSource();
            var cpu = CpuSample.Now();
            var coordinator = NodeRunner.RunCoordinatorAsync(coordinatorStore, [sweep.Id], settings, Serilog.Core.Logger.None, untilDone: true, stopCoordinator.Token);
            var watch = Stopwatch.StartNew();
            await NodeRunner.RunWorkerAsync(
                workerStore,
                spectra => recorder.Around(computers(spectra)),
                new WorkerOptions("bench-worker", slots, sweep.Id, ExitWhenIdle: true),
                settings,
                Serilog.Core.Logger.None,
                CancellationToken.None);
            double wall = watch.Elapsed.TotalSeconds;
            await stopCoordinator.CancelAsync();
            await coordinator;
            var used = CpuSample.Now();

            var progress = await workerStore.GetProgressAsync(sweep.Id);
            if (progress.UnitsDone != plan.Count || progress.CellsDone != plan.Count)
            {
                throw new InvalidOperationException($"only {progress.UnitsDone} of {plan.Count} units done");
            }

            return recorder.Timing(wall) with { ProcessCpuSeconds = used.Process - cpu.Process, PostgresCpuSeconds = used.Postgres - cpu.Postgres };
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

    private sealed record RunTiming(double WallSeconds, double MeanUnitSeconds, double MeanGapSeconds, double MedianGapSeconds, double MaxGapSeconds)
    {
        /// <summary>Units computed in the run.</summary>
        public int Units { get; init; }

        /// <summary>CPU seconds of this process (compute, actors, Npgsql, GC) during the run.</summary>
        public double ProcessCpuSeconds { get; init; }

        /// <summary>CPU seconds of the slot threads inside the computations themselves.</summary>
        public double ComputeCpuSeconds { get; init; }

        /// <summary>CPU seconds of this process outside the computations: the engine, plus GC and runtime threads.</summary>
        public double OtherCpuSeconds => ProcessCpuSeconds - ComputeCpuSeconds;

        /// <summary>CPU seconds of every PostgreSQL process during the run.</summary>
        public double PostgresCpuSeconds { get; init; }
    }

    /// <summary>CPU time of this process and of the PostgreSQL server's processes, from /proc (Linux).</summary>
    private readonly record struct CpuSample(double Process, double Postgres)
    {
        public static CpuSample Now() => new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, PostgresSeconds());

        /// <summary>
        /// User + system time of every process named postgres, plus the time of its children that have exited
        /// (backends of closed connections are children of the postmaster). Clock ticks of 1/100 s.
        /// </summary>
        private static double PostgresSeconds()
        {
            double ticks = 0;
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    int open = stat.IndexOf('(', StringComparison.Ordinal);
                    int close = stat.LastIndexOf(')');
                    if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                    {
                        continue;
                    }

                    // Fields after the command: state is field 3, so utime..cstime (14..17) are at 11..14 here.
                    var fields = stat[(close + 2)..].Split(' ');
                    for (int f = 11; f <= 14; f++)
                    {
                        ticks += double.Parse(fields[f], CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // The process ended while being read.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            return ticks / 100;
        }
    }

    /// <summary>Records when each computation starts and ends, on one clock, whichever slot runs it.</summary>
    private sealed class SpanRecorder(int slots)
    {
        private readonly ConcurrentBag<(long Start, long End)> _spans = [];
        private long _computeCpuNanoseconds;

        public RecordingComputer Around(IUnitComputer computer) => new RecordingComputer(computer, this);

        public void Add(long start, long end, long cpuNanoseconds)
        {
            _spans.Add((start, end));
            Interlocked.Add(ref _computeCpuNanoseconds, cpuNanoseconds);
        }

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
            var gaps = Enumerable.Range(0, starts.Length - slots).Select(k => Stopwatch.GetElapsedTime(ends[k], starts[k + slots]).TotalSeconds).ToArray();
            return gaps.Length == 0
                ? new RunTiming(wallSeconds, meanUnit, 0, 0, 0) { Units = spans.Length }
                : new RunTiming(wallSeconds, meanUnit, gaps.Average(), Median(gaps), gaps.Max()) { ComputeCpuSeconds = Interlocked.Read(ref _computeCpuNanoseconds) / 1e9, Units = spans.Length };
        }
    }

    private sealed class RecordingComputer(IUnitComputer inner, SpanRecorder recorder) : IUnitComputer
    {
        /// <summary>CPU time of the calling thread in nanoseconds (Linux schedstat: exact, unlike the 10 ms ticks of stat).</summary>
        private static long ThreadCpuNanoseconds() =>
            long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

        public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells)
        {
            long cpu = ThreadCpuNanoseconds();
            long start = Stopwatch.GetTimestamp();
            var outcomes = inner.Compute(cells);
            long end = Stopwatch.GetTimestamp();
            recorder.Add(start, end, ThreadCpuNanoseconds() - cpu);
            return outcomes;
        }
    }
}
