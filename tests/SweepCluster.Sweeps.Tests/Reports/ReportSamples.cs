using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Reports;

namespace SweepCluster.Sweeps.Tests.Reports;

/// <summary>
/// Small sweeps for report tests: cells made the way the grid makes them, with hand-made metrics that follow
/// simple laws in N, so every expected value is easy to state.
/// </summary>
internal static class ReportSamples
{
    public static readonly DateTimeOffset Generated = new(2025, 5, 30, 12, 0, 0, TimeSpan.Zero);

    public static readonly int[] Ns = [8, 16, 32, 64, 128];

    public static ModelConfig Config(int n, double k, int d = 4, double c = 1e-4) => new()
    {
        D = d,
        N = n,
        Spectrum = SpectrumSpec.PowerLaw(k),
        C = c,
        T = 10,
        ReportedSteps = [0, 9],
    };

    /// <summary>Test loss 1 + d/N, train loss 1 - d/(2N), KL d/(4N) (+ a k term), all with a seed offset.</summary>
    public static CellMetrics Metrics(ModelConfig config, double offset)
    {
        double ratio = (double)config.D / config.N;
        var m = new CellMetrics();
        m.SetScalar(MetricNames.Averaged(MetricNames.EpsTest), 1 + ratio + offset);
        m.SetSeries(MetricNames.PerStep(MetricNames.EpsTest), [2 + offset, 1 + offset]);
        m.SetScalar(MetricNames.Averaged(MetricNames.EpsTrain), 1 - (ratio / 2) + offset);
        m.SetScalar(MetricNames.DklIdealFwd, (ratio / 4) * (1 + config.Spectrum.K) + offset);
        return m;
    }

    /// <summary>Every N of <see cref="Ns"/> times the given k, with two seeds and a theory cell each.</summary>
    public static List<ExportCell> SampleCells(double[] ks, int d = 4, int seeds = 2, bool theory = true, Func<ModelConfig, long, bool>? pending = null)
    {
        var cells = new List<ExportCell>();
        foreach (double k in ks)
        {
            foreach (int n in Ns)
            {
                var config = Config(n, k, d);
                for (long seed = 0; seed < seeds; seed++)
                {
                    var cell = CellParameters.Simulation(config, seed);
                    cells.Add(pending?.Invoke(config, seed) == true
                        ? new ExportCell(cell, null, null, null)
                        : new ExportCell(cell, ResultStatus.Ok, Metrics(config, seed == 0 ? -0.01 : 0.01), null));
                }

                if (theory)
                {
                    cells.Add(new ExportCell(CellParameters.Theory(config), ResultStatus.Ok, Metrics(config, 0.002), null));
                }
            }
        }

        return cells;
    }

    public static ReportInput Input(IReadOnlyList<ExportCell> cells, ReportSection? section = null, string gridText = "d: 4\nN: [8, 16, 32, 64, 128]\nk: [0, 1]\n") => new(
        "sample",
        "0123abcd",
        gridText,
        section ?? ReportSection.None,
        SeedAggregator.Aggregate(cells),
        ReportProgress.FromCells(cells),
        Generated);
}
