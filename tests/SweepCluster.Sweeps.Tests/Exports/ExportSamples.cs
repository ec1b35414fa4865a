using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Tests.Exports;

/// <summary>Small hand-made sweeps: cells built the way the grid builds them, metrics set by hand.</summary>
internal static class ExportSamples
{
    public static readonly int[] Steps = [0, 5, 9];

    public static ModelConfig Config(double c = 1e-4) => new()
    {
        D = 4,
        N = 8,
        Spectrum = SpectrumSpec.PowerLaw(1.0),
        C = c,
        T = 10,
        ReportedSteps = Steps,
    };

    public static ExportCell Sim(ModelConfig config, long seed, CellMetrics metrics) =>
        new(CellParameters.Simulation(config, seed), ResultStatus.Ok, metrics, null);

    public static ExportCell Failed(ModelConfig config, long seed, string message) =>
        new(CellParameters.Simulation(config, seed), ResultStatus.NumericalFailure, null, message);

    public static ExportCell Pending(ModelConfig config, long seed) =>
        new(CellParameters.Simulation(config, seed), null, null, null);

    public static ExportCell Theory(ModelConfig config, CellMetrics? metrics) =>
        new(CellParameters.Theory(config), metrics is null ? null : ResultStatus.Ok, metrics, null);

    /// <summary>Every kind of metric: losses of both families (t-average and series), an excess and the KL.</summary>
    public static CellMetrics Full(double scale, double klFwd = 0.25)
    {
        var m = new CellMetrics();

        // Recorded KL first and eps last, the reverse of the export order, so ordering is exercised.
        m.SetScalar(MetricNames.DklIdealFwd, klFwd);
        m.SetScalar(MetricNames.Averaged(MetricNames.DataTest), 10 * scale);
        m.SetSeries(MetricNames.PerStep(MetricNames.DataTest), [11 * scale, 12 * scale, 13 * scale]);
        m.SetScalar(MetricNames.Averaged(MetricNames.EpsExcess), 0.5 * scale);
        m.SetScalar(MetricNames.Averaged(MetricNames.EpsTest), scale);
        m.SetSeries(MetricNames.PerStep(MetricNames.EpsTest), [2 * scale, 3 * scale, 4 * scale]);
        return m;
    }

    public static CellMetrics Scalar(string name, double value)
    {
        var m = new CellMetrics();
        m.SetScalar(name, value);
        return m;
    }

    /// <summary>Two grid points (two c), with ok, failed and pending seeds, theories and units.</summary>
    public static SweepExportData Sweep(LossSelection losses = LossSelection.Both)
    {
        var a = Config(1e-4);
        var b = Config(1e-2);
        ExportCell[] cells =
        [
            Sim(a, 0, Full(1.0)),
            Sim(a, 1, Full(3.0)),
            Failed(a, 2, "unstable: eta_eff, \"too\" large\nsecond line"),
            Sim(b, 0, Full(0.1 + 0.2, klFwd: double.PositiveInfinity)),
            Pending(b, 1),
            Theory(a, Full(2.5)),
            Theory(b, null),
        ];
        ExportUnit[] units =
        [
            new("u2", "theory", "done", "node-b", 1, null, 100.0, 101.5, 3.0, 2),
            new("u1", "sim", "failed", "node-a", 3, "boom, twice", 50.0, null, 1e9, 3),
            new("u3", "sim", "pending", null, 0, null, null, null, 0.5, 2),
        ];
        return new SweepExportData("sweep-1", cells, units, losses);
    }

    /// <summary>The same sweep, everything listed in the reverse order and metrics recorded in another order.</summary>
    public static SweepExportData Reversed(SweepExportData data) => data with
    {
        Cells = [.. data.Cells.Reverse().Select(c => c with { Metrics = c.Metrics is null ? null : ReverseInsertion(c.Metrics) })],
        Units = [.. data.Units.Reverse()],
    };

    private static CellMetrics ReverseInsertion(CellMetrics metrics)
    {
        var m = new CellMetrics();
        foreach (var (name, values) in metrics.Series.Reverse())
        {
            m.SetSeries(name, values);
        }

        foreach (var (name, value) in metrics.Scalars.Reverse())
        {
            m.SetScalar(name, value);
        }

        return m;
    }
}
