using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Tests.Exports;
using static SweepCluster.Sweeps.Tests.Exports.ExportSamples;

namespace SweepCluster.Sweeps.Tests.Aggregation;

public class SeedAggregatorTests
{
    private static readonly string _epsTavg = MetricNames.Averaged(MetricNames.EpsTest);

    [Fact]
    public void MeanStdAndResidualAgainstTheoryOnAHandMadeExample()
    {
        var config = Config();
        var points = SeedAggregator.Aggregate(
        [
            Sim(config, 0, Scalar(_epsTavg, 1.0)),
            Sim(config, 1, Scalar(_epsTavg, 3.0)),
            Failed(config, 2, "diverged"),
            Pending(config, 3),
            Theory(config, Scalar(_epsTavg, 2.5)),
        ]);

        var point = Assert.Single(points);
        Assert.Equal(SeedAggregator.GridPointKey(config), point.GridPoint);
        Assert.Equal(CellParameters.Theory(config).Id, point.TheoryCellId);
        Assert.Equal((2, 1, 1), (point.Seeds, point.Failed, point.Pending));
        var m = Assert.Single(point.Metrics);
        Assert.Equal(new MetricColumn(_epsTavg, null), m.Metric);
        Assert.Equal(2, m.N);
        Assert.Equal(2.0, m.Mean);
        Assert.Equal(Math.Sqrt(2.0), m.Std!.Value, 15);
        Assert.Equal(2.5, m.Theory);
        Assert.Equal(-0.5, m.Residual);
        Assert.Equal(0.2, m.RelativeError!.Value, 15);
    }

    [Fact]
    public void SeriesAreSummarisedPerReportedStep()
    {
        var config = Config();
        var points = SeedAggregator.Aggregate([Sim(config, 0, Full(1.0)), Sim(config, 1, Full(3.0))]);

        var metrics = Assert.Single(points).Metrics;
        Assert.Equal(
            ["eps_test_tavg", "eps_test_t0", "eps_test_t5", "eps_test_t9", "data_test_tavg", "data_test_t0", "data_test_t5", "data_test_t9", "eps_excess_tavg", "dkl_ideal_fwd"],
            metrics.Select(m => m.Metric.Name));
        var atFive = metrics.Single(m => m.Metric == new MetricColumn("eps_test_t", 5));
        Assert.Equal(6.0, atFive.Mean);
        Assert.Null(atFive.Theory);
        Assert.Null(atFive.Residual);
        Assert.Null(atFive.RelativeError);
    }

    [Fact]
    public void NonFiniteValuesGiveAnInfiniteMeanAndNoResidual()
    {
        var config = Config();
        var points = SeedAggregator.Aggregate(
        [
            Sim(config, 0, Scalar(MetricNames.DklDdpmFwd, 0.5)),
            Sim(config, 1, Scalar(MetricNames.DklDdpmFwd, double.PositiveInfinity)),
            Theory(config, Scalar(MetricNames.DklDdpmFwd, 0.4)),
        ]);

        var m = Assert.Single(Assert.Single(points).Metrics);
        Assert.Equal(double.PositiveInfinity, m.Mean);
        Assert.Equal(0.4, m.Theory);
        Assert.Null(m.Residual);
        Assert.Null(m.RelativeError);
    }

    [Fact]
    public void AnInfiniteOrZeroTheoryGivesNoResidualOrNoRelativeError()
    {
        var a = Config(1e-4);
        var b = Config(1e-2);
        var points = SeedAggregator.Aggregate(
        [
            Sim(a, 0, Scalar(_epsTavg, 1.0)),
            Theory(a, Scalar(_epsTavg, double.PositiveInfinity)),
            Sim(b, 0, Scalar(_epsTavg, 1.0)),
            Theory(b, Scalar(_epsTavg, 0.0)),
        ]);

        var infinite = points.Single(p => p.GridPoint == SeedAggregator.GridPointKey(a)).Metrics.Single();
        Assert.Equal((double?)double.PositiveInfinity, infinite.Theory);
        Assert.Null(infinite.Residual);
        var zero = points.Single(p => p.GridPoint == SeedAggregator.GridPointKey(b)).Metrics.Single();
        Assert.Equal(1.0, zero.Residual);
        Assert.Null(zero.RelativeError);
    }

    [Fact]
    public void SeedsAreGroupedByEverySettingButTheSeed()
    {
        var a = Config(1e-4);
        var b = Config(1e-2);
        var points = SeedAggregator.Aggregate(
        [
            Sim(a, 0, Scalar(_epsTavg, 1.0)),
            Sim(b, 0, Scalar(_epsTavg, 5.0)),
            Sim(a, 7, Scalar(_epsTavg, 3.0)),
        ]);

        Assert.Equal(2, points.Count);
        Assert.Equal(points.Select(p => p.GridPoint).Order(StringComparer.Ordinal), points.Select(p => p.GridPoint));
        var pointA = points.Single(p => p.GridPoint == SeedAggregator.GridPointKey(a));
        Assert.Equal(2.0, pointA.Metrics.Single().Mean);
        Assert.Null(pointA.TheoryCellId);
        Assert.Equal(SeedAggregator.GridPointKey(a with { Seed0 = 123 }), SeedAggregator.GridPointKey(a));
        Assert.NotEqual(SeedAggregator.GridPointKey(b), SeedAggregator.GridPointKey(a));
    }

    [Fact]
    public void ASimulationReadBackFromItsCanonicalFormStillFindsItsTheory()
    {
        // The theory settings are not part of a simulation cell's canonical parameters, so a parsed cell has the defaults.
        var config = Config() with { SpectralGrid = 500 };
        var parsed = CellParameters.Parse(CellParameters.Simulation(config, 3).CanonicalParameters);
        var theory = CellParameters.Theory(config);

        var point = Assert.Single(SeedAggregator.Aggregate(
        [
            new ExportCell(parsed, ResultStatus.Ok, Scalar(_epsTavg, 1.0), null),
            new ExportCell(theory, ResultStatus.Ok, Scalar(_epsTavg, 1.25), null),
        ]));

        Assert.Equal(theory.Id, point.TheoryCellId);
        Assert.Equal(-0.25, point.Metrics.Single().Residual);
    }

    [Fact]
    public void TheFiniteSizeTheoryIsPreferredOverTheAsymptoticOne()
    {
        var config = Config();
        var finite = Theory(config, Scalar(_epsTavg, 2.0));
        var asymptotic = Theory(config with { AsymptoticTheory = true }, Scalar(_epsTavg, 4.0));

        foreach (var order in new[] { new[] { finite, asymptotic }, new[] { asymptotic, finite } })
        {
            var point = Assert.Single(SeedAggregator.Aggregate([Sim(config, 0, Scalar(_epsTavg, 1.0)), .. order]));
            Assert.Equal(finite.Cell.Id, point.TheoryCellId);
            Assert.Equal(2.0, point.Metrics.Single().Theory);
        }
    }

    [Fact]
    public void ATheoryNotComputedYetLeavesTheComparisonEmpty()
    {
        var config = Config();
        var point = Assert.Single(SeedAggregator.Aggregate([Sim(config, 0, Scalar(_epsTavg, 1.0)), Theory(config, null)]));

        Assert.Equal(CellParameters.Theory(config).Id, point.TheoryCellId);
        var m = point.Metrics.Single();
        Assert.Equal(1.0, m.Mean);
        Assert.Null(m.Std);
        Assert.Null(m.Theory);
        Assert.Null(m.Residual);
    }

    [Fact]
    public void ATheoryWithoutSeedsStillReportsItsValues()
    {
        var config = Config();
        var m = Assert.Single(Assert.Single(SeedAggregator.Aggregate([Theory(config, Scalar(_epsTavg, 2.5))])).Metrics);

        Assert.Equal(0, m.N);
        Assert.Null(m.Mean);
        Assert.Null(m.Std);
        Assert.Equal(2.5, m.Theory);
        Assert.Null(m.Residual);
    }

    [Fact]
    public void ACellListedTwiceCountsOnce()
    {
        var config = Config();
        var seed = Sim(config, 0, Scalar(_epsTavg, 1.0));
        var point = Assert.Single(SeedAggregator.Aggregate([seed, Sim(config, 1, Scalar(_epsTavg, 3.0)), seed, Pending(config, 0)]));

        Assert.Equal((2, 0), (point.Seeds, point.Pending));
        Assert.Equal(2.0, point.Metrics.Single().Mean);
    }

    [Fact]
    public void ASeriesWithTheWrongLengthIsAnError()
    {
        var metrics = new CellMetrics();
        metrics.SetSeries(MetricNames.PerStep(MetricNames.EpsTest), [1.0, 2.0]);
        var cell = Sim(Config(), 0, metrics);

        var e = Assert.Throws<InvalidOperationException>(() => SeedAggregator.Aggregate([cell]));
        Assert.Contains(cell.Cell.Id, e.Message, StringComparison.Ordinal);
    }
}
