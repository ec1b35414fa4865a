using System.Diagnostics;
using System.Globalization;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;
using SweepCluster.Model.Training;

namespace SweepCluster.Bench;

/// <summary>
/// Wall-clock benchmarks of the model, printed as Markdown rows for docs/benchmarks.md. Each figure is
/// the median of several repetitions after a warm-up; run in Release on an otherwise idle machine.
/// </summary>
public static class BenchmarkProgram
{
    public static int Run(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "all";
        if (what is "cluster-throughput" or "cluster-overhead")
        {
            return Cluster.ClusterBenchmarkProgram.Run(what, args[1..]);
        }

        if (what == "fill-store")
        {
            return Memory.FillStore.RunAsync(args[1], args[2], args[3]).GetAwaiter().GetResult();
        }

        int repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        if (what is "all" or "unit")
        {
            UnitBenchmarks(repeats);
        }

        if (what is "all" or "theory")
        {
            TheoryBenchmarks(repeats);
        }

        if (what is "all" or "tau-kernel")
        {
            TauKernelBenchmarks(repeats);
        }

        Console.WriteLine($"# peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB");
        return 0;
    }

    private static void UnitBenchmarks(int repeats)
    {
        var backends = new List<ILinearAlgebra>();
        foreach (string name in new[] { "openblas", "managed" })
        {
            try
            {
                backends.Add(LinearAlgebraBackends.Create(name));
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"# backend {name} unavailable: {e.Message}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| backend | d | N | training set | mean+centre | covariance (BLAS) | eigendecomposition (LAPACK) | overlaps | losses + KL (all t) | total | outside BLAS/LAPACK | allocated |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var algebra in backends)
        {
            foreach (var (d, n) in new[] { (100, 200), (1000, 2000), (2000, 4000), (1000, 600) })
            {
                if (algebra.Name == "managed" && d > 1000)
                {
                    continue; // minutes per repetition; the d = 1000 row already shows the ratio
                }

                UnitRow(algebra, d, n, algebra.Name == "managed" ? Math.Min(repeats, 2) : repeats);
            }
        }
    }

    private static void UnitRow(ILinearAlgebra algebra, int d, int n, int repeats)
    {
        var spectrum = Spectrum.PowerLaw(d, 1.0);
        var config = new ModelConfig { D = d, N = n, C = 1e-4, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var schedule = config.CreateSchedule();
        var times = new List<double[]>();
        long allocated = 0;
        for (int rep = -1; rep < repeats; rep++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            var t = new double[7];
            var sw = Stopwatch.StartNew();
            var set = TrainingSet.Generate(spectrum, n, (ulong)rep + 1);
            t[0] = Lap(sw);

            // The same pieces EmpiricalEigenbasis.Compute runs, timed one by one.
            var centred = Centre(set, out _);
            t[1] = Lap(sw);
            var cov = new double[d * d];
            algebra.CrossProduct(centred, n, d, 1.0 / n, cov);
            t[2] = Lap(sw);
            var eig = new double[d];
            algebra.SymmetricEigen(cov, d, eig);
            t[3] = Lap(sw);

            // The whole unit as the simulator runs it, for the overlaps and metrics share and the total.
            var total = Stopwatch.StartNew();
            var basis = EmpiricalEigenbasis.Compute(set, spectrum, config.BiasMode, algebra, useGramRoute: false);
            double basisTime = total.Elapsed.TotalSeconds;
            var metricsWatch = Stopwatch.StartNew();
            TrainingSetMetrics.Compute(config, spectrum, schedule, basis);
            t[5] = metricsWatch.Elapsed.TotalSeconds;
            t[4] = Math.Max(0, basisTime - t[1] - t[2] - t[3]);
            t[6] = t[0] + basisTime + t[5];
            allocated = GC.GetTotalAllocatedBytes(true) - before;
            if (rep >= 0)
            {
                times.Add(t);
            }
        }

        double Median(int k) => times.Select(x => x[k]).Order().ElementAt(times.Count / 2);
        double outside = Median(6) - Median(2) - Median(3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {algebra.Name} | {d} | {n} | {Median(0):0.000} s | {Median(1):0.000} s | {Median(2):0.000} s | {Median(3):0.000} s | {Median(4):0.000} s | {Median(5):0.000} s | **{Median(6):0.000} s** | {outside / Median(6):P0} | {allocated / (1024.0 * 1024):0} MiB |"));
    }

    private static double[] Centre(TrainingSet set, out double[] mean)
    {
        int n = set.Count, d = set.Dimension;
        mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += set.Samples[(r * d) + j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        var x = new double[set.Samples.Length];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
            {
                x[(r * d) + j] = set.Samples[(r * d) + j] - mean[j];
            }
        }

        return x;
    }

    private static double Lap(Stopwatch sw)
    {
        double s = sw.Elapsed.TotalSeconds;
        sw.Restart();
        return s;
    }

    private static void TheoryBenchmarks(int repeats)
    {
        Console.WriteLine();
        Console.WriteLine("| theory | d | N | tau | median time |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (d, n, tau) in new[] { (1000, 2000, double.PositiveInfinity), (1000, 600, double.PositiveInfinity), (1000, 600, 1e4) })
        {
            var config = new ModelConfig { D = d, N = n, C = tau == double.PositiveInfinity ? 1e-4 : 0.0, Tau = tau, Spectrum = SpectrumSpec.PowerLaw(1.0) };
            var spectrum = Spectrum.PowerLaw(d, 1.0);
            var schedule = config.CreateSchedule();
            if (config.IsConverged)
            {
                Console.WriteLine(Row("closed form (S-5), all t", d, n, tau, Time(repeats, () => ClosedFormTheory.Compute(config, spectrum, schedule))));
            }

            Console.WriteLine(Row("spectral (S-6), all t + DDPM KL", d, n, tau, Time(Math.Min(repeats, 3), () => SpectralTheory.Compute(config, spectrum, schedule))));
        }
    }

    /// <summary>
    /// The finite-tau S-6 loop of a Fig. 3 theory unit, d = 1000, N = 600, c = 0, GD, the grid's 21 tau values on
    /// one measure, in ns per (node, step, tau): each tau in a pass of its own, and all of them in one pass.
    /// </summary>
    private static void TauKernelBenchmarks(int repeats)
    {
        var config = new ModelConfig { D = 1000, N = 600, C = 0.0, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var spectrum = Spectrum.PowerLaw(config.D, 1.0);
        var schedule = config.CreateSchedule();
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(config).N, config.SpectralGrid);
        ModelConfig[] cells = [.. Enumerable.Range(0, 21).Select(i => config with { Tau = Math.Round(Math.Pow(10, i / 4.0)) })];
        double work = (measure.Points.Length + 1.0) * schedule.Steps * cells.Length;
        Console.WriteLine();
        Console.WriteLine($"| finite-tau S-6 kernel, d = 1000, N = 600, {cells.Length} tau, {measure.Points.Length + 1} nodes | median time | ns per node-step-tau | CPU ns per node-step-tau |");
        Console.WriteLine("|---|---|---|---|");
        void Kernel(string what, int runs, Action action)
        {
            // CPU time as well: on a shared machine it is the steadier figure.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double wall = Time(runs, action);
            double cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / (runs + 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {wall:0.000} s | {wall / work * 1e9:0.00} | {cpuPerRun / work * 1e9:0.00} |"));
        }

        Kernel("one pass per tau", Math.Min(repeats, 3), () =>
        {
            foreach (var cell in cells)
            {
                SpectralTheory.Compute(cell, spectrum, schedule, measure);
            }
        });
        Kernel("one pass for all tau", repeats, () => SpectralTheory.ComputeAll(cells, spectrum, schedule, measure));
    }

    private static string Row(string what, int d, int n, double tau, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {d} | {n} | {(double.IsInfinity(tau) ? "inf" : tau.ToString("g", CultureInfo.InvariantCulture))} | {seconds:0.000} s |");

    private static double Time(int repeats, Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
