using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench.Cluster;

/// <summary>
/// Coordination overhead of the Akka cluster on real d = 1000 units: the same units computed (a) by plain
/// threads pulling from an in-memory queue, with no store at all, and (b) by one worker node and the
/// coordinator node on PostgreSQL (the real hand-out, load, commit and report path), with and without
/// claiming ahead. Runs are interleaved so that machine drift hits every variant alike. Two figures per
/// variant: the wall-time ratio against (a), and the slot gap (a unit's end to the next start on the freed
/// slot) against the mean unit time. A no-op variant gives the CPU the protocol costs per unit, alone.
/// </summary>
public static class ClusterOverheadBenchmarks
{
    private const string NoOpVariant = "Akka + PostgreSQL, claim ahead fixed at 2 as for d = 1000 units, no-op units (coordination CPU alone)";

    public static async Task RunAsync(int units, int repeats, int slots)
    {
        var algebra = LinearAlgebraBackends.Create("openblas");
        var work = BenchSweeps.D1000(units);
        var variants = new (string Name, Func<Task<RunTiming>> Run)[]
        {
            ("in-memory queue, no store (baseline)", () => RunWithoutStoreAsync(algebra, work.Sweep, work.Units, slots)),
            ("Akka + PostgreSQL, claim ahead 2 (cluster default)", () => RunOnClusterAsync(Real(algebra), work, slots, claimAhead: 2)),
            ("Akka + PostgreSQL, claim ahead 0", () => RunOnClusterAsync(Real(algebra), work, slots, claimAhead: 0)),

            // Enough no-op units that start-up and shut-down weigh little in the per-unit figure. The claim-ahead
            // stays at 2, as for the d = 1000 units (a quarter second each): grown for cheap units, it would
            // batch the protocol a hundredfold and hide what one expensive unit costs.
            (NoOpVariant, () => RunOnClusterAsync(_ => new NoOpComputer(), BenchSweeps.NoOp(Math.Max(units, 1000)), slots, claimAhead: 2, growClaimAhead: false)),
        };

        // A warm-up of each path: JIT, OpenBLAS buffers, PostgreSQL's caches.
        var warmUp = BenchSweeps.D1000(slots * 2);
        _ = await RunWithoutStoreAsync(algebra, warmUp.Sweep, warmUp.Units, slots);
        _ = await RunOnClusterAsync(Real(algebra), warmUp, slots, claimAhead: 2);

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
        double baseline = Stats.Median(timings[0].Select(t => t.WallSeconds));
        double baselineBest = timings[0].Min(t => t.WallSeconds);
        for (int v = 0; v < variants.Length; v++)
        {
            double otherCpu = Stats.Median(timings[v].Select(t => t.OtherCpuSeconds / t.Units));
            double postgresCpu = Stats.Median(timings[v].Select(t => t.PostgresCpuSeconds / t.Units));
            if (variants[v].Name == NoOpVariant)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[v].Name} | - | - | - | - | - | - | - | - | {otherCpu * 1000:0.00} ms | {postgresCpu * 1000:0.00} ms |"));
                continue;
            }

            double wall = Stats.Median(timings[v].Select(t => t.WallSeconds));
            double unit = Stats.Median(timings[v].Select(t => t.MeanUnitSeconds));
            double gap = Stats.Median(timings[v].Select(t => t.MeanGapSeconds));
            double medianGap = Stats.Median(timings[v].Select(t => t.MedianGapSeconds));
            double best = timings[v].Min(t => t.WallSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[v].Name} | {wall:0.000} s | {(wall / baseline - 1) * 100:+0.00;-0.00} % | {best:0.000} s | {(best / baselineBest - 1) * 100:+0.00;-0.00} % | {unit * 1000:0.0} ms | {gap * 1000:0.000} ms | {medianGap * 1000:0.000} ms | {gap / unit * 100:0.000} % | {otherCpu * 1000:0.00} ms | {postgresCpu * 1000:0.00} ms |"));
        }

        // What one d = 1000 unit costs in CPU (computation, its parallel parts and the runtime), against what
        // coordinating it costs: in this process (both nodes, Akka, Npgsql) and in PostgreSQL.
        int alone = Array.FindIndex(variants, v => v.Name == NoOpVariant);
        double unitCpu = Stats.Median(timings[0].Select(t => t.ProcessCpuSeconds / t.Units));
        double engineCpu = Stats.Median(timings[alone].Select(t => t.ProcessCpuSeconds / t.Units));
        double serverCpu = Stats.Median(timings[alone].Select(t => t.PostgresCpuSeconds / t.Units));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per unit: the d = 1000 unit {unitCpu * 1000:0.0} ms; coordinating it {engineCpu * 1000:0.00} ms in the node processes ({engineCpu / unitCpu * 100:0.00} %) and {serverCpu * 1000:0.00} ms in PostgreSQL ({serverCpu / unitCpu * 100:0.00} %)."));
    }

    private static Func<SpectrumCache, IUnitComputer> Real(ILinearAlgebra algebra) => spectra => new UnitComputer(algebra, spectra.Get);

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
        double wall = watch.Elapsed.TotalSeconds;
        var used = CpuSample.Now() - cpu;
        return recorder.Timing(wall) with { ProcessCpuSeconds = used.Process, PostgresCpuSeconds = used.Postgres };
    }

    /// <summary>One worker node with the slots and the coordinator node; wall time from the first hand-out to the last acknowledged completion.</summary>
    private static async Task<RunTiming> RunOnClusterAsync(Func<SpectrumCache, IUnitComputer> computers, (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) work, int slots, int claimAhead, bool growClaimAhead = true)
    {
        var recorder = new SpanRecorder(slots);
        var settings = ClusterRig.ShippedSettings(claimBatch: 4, claimAhead);
        settings = growClaimAhead ? settings : settings with { ClaimAheadTime = TimeSpan.Zero };
        var run = await ClusterRig.RunAsync(work, 1, slots, spectra => recorder.Around(computers(spectra)), settings, TimeSpan.FromMinutes(30));
        return recorder.Timing(run.Seconds) with { ProcessCpuSeconds = run.Cpu.Process, PostgresCpuSeconds = run.Cpu.Postgres };
    }

    private sealed record RunTiming(double WallSeconds, double MeanUnitSeconds, double MeanGapSeconds, double MedianGapSeconds, double MaxGapSeconds)
    {
        /// <summary>Units computed in the run.</summary>
        public int Units { get; init; }

        /// <summary>CPU seconds of this process (compute, both nodes' actors, Npgsql, GC) during the run.</summary>
        public double ProcessCpuSeconds { get; init; }

        /// <summary>CPU seconds of the slot threads inside the computations themselves.</summary>
        public double ComputeCpuSeconds { get; init; }

        /// <summary>CPU seconds of this process outside the computations: the cluster, plus GC and runtime threads.</summary>
        public double OtherCpuSeconds => ProcessCpuSeconds - ComputeCpuSeconds;

        /// <summary>CPU seconds of every PostgreSQL process during the run.</summary>
        public double PostgresCpuSeconds { get; init; }
    }

    /// <summary>Records when each computation starts and ends, on one clock, whichever slot runs it.</summary>
    private sealed class SpanRecorder(int slots)
    {
        private readonly ConcurrentBag<(long Start, long End)> _spans = [];
        private long _computeCpuNanoseconds;

        public RecordingComputer Around(IUnitComputer computer) => new(computer, this);

        public void Add(long start, long end, long cpuNanoseconds)
        {
            _spans.Add((start, end));
            Interlocked.Add(ref _computeCpuNanoseconds, cpuNanoseconds);
        }

        /// <summary>
        /// While every slot is busy, the k-th end (in time order) frees the slot on which the (k + slots)-th
        /// start happens: the gap between them is time that slot spent waiting for the cluster.
        /// </summary>
        public RunTiming Timing(double wallSeconds)
        {
            var spans = _spans.ToArray();
            var starts = spans.Select(s => s.Start).Order().ToArray();
            var ends = spans.Select(s => s.End).Order().ToArray();
            double meanUnit = spans.Average(s => Stopwatch.GetElapsedTime(s.Start, s.End).TotalSeconds);
            var gaps = Enumerable.Range(0, Math.Max(0, starts.Length - slots)).Select(k => Stopwatch.GetElapsedTime(ends[k], starts[k + slots]).TotalSeconds).ToArray();
            double computeCpu = Interlocked.Read(ref _computeCpuNanoseconds) / 1e9;
            return gaps.Length == 0
                ? new RunTiming(wallSeconds, meanUnit, 0, 0, 0) { ComputeCpuSeconds = computeCpu, Units = spans.Length }
                : new RunTiming(wallSeconds, meanUnit, gaps.Average(), Stats.Median(gaps), gaps.Max()) { ComputeCpuSeconds = computeCpu, Units = spans.Length };
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
