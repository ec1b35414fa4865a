using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Reports;
using SweepCluster.Sweeps.Reports.Svg;
using static SweepCluster.Sweeps.Tests.Reports.ReportSamples;

namespace SweepCluster.Sweeps.Tests.Reports;

public class ReportBuilderTests
{
    [Fact]
    public void APanelAgainstNAtOneDMarksNEqualsD()
    {
        var cells = SampleCells([0, 1]).Concat(SampleCells([0, 1], d: 8)).ToList();
        var report = ReportBuilder.Build(Input(cells, ReportSection.Parse("panels: [{x: N, y: eps_test_tavg, facet: d}, {x: N, y: eps_test_tavg}, {x: d, y: eps_test_tavg}]")));

        Assert.Equal([4.0, 8.0], report.Panels.Take(2).Select(p => Assert.Single(p.Chart.VerticalMarkers).X));
        Assert.Equal("N = d = 8", report.Panels[1].Chart.VerticalMarkers[0].Label);
        Assert.Empty(report.Panels[2].Chart.VerticalMarkers); // d varies within the panel: no single N = d
        Assert.Empty(report.Panels[3].Chart.VerticalMarkers); // x is not N
    }

    [Fact]
    public void FacetsShareOneYScaleCoveringAllOfThem()
    {
        var cells = SampleCells([0, 1]).Concat(SampleCells([0, 1], d: 8)).ToList();
        var report = ReportBuilder.Build(Input(cells, ReportSection.Parse("panels: [{x: N, y: eps_test_tavg, facet: d}]")));

        Assert.Equal(2, report.Panels.Count);
        var own = report.Panels.Select(p => PlotFrame.YExtent(p.Chart with { Y = p.Chart.Y with { Include = null } })!.Value).ToList();
        Assert.NotEqual(own[0], own[1]);
        var frames = report.Panels.Select(p => PlotFrame.Fit(p.Chart)).ToList();
        Assert.Equal(frames[0].Y.DomainMin, frames[1].Y.DomainMin);
        Assert.Equal(frames[0].Y.DomainMax, frames[1].Y.DomainMax);
        Assert.Equal(report.Panels[0].Chart.Y.Log, report.Panels[1].Chart.Y.Log);
        Assert.All(own, e => Assert.True(frames[0].Y.DomainMin <= e.Min && e.Max <= frames[0].Y.DomainMax, $"{e} is outside the shared domain"));
    }

    [Fact]
    public void DefaultPanelsAreLossAndKlAgainstNWithOneSeriesPerK()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));

        Assert.True(report.DefaultPanels);
        Assert.Empty(report.Warnings);
        Assert.Equal(2, report.Panels.Count);
        var loss = report.Panels[0];
        var kl = report.Panels[1];
        Assert.Equal(("N", "N"), (loss.XAxis, kl.XAxis));
        Assert.Equal(["eps_test_tavg", "eps_train_tavg"], loss.Rows.Select(r => r.Metric).Distinct());
        Assert.Equal(["dkl_ideal_fwd"], kl.Rows.Select(r => r.Metric).Distinct());
        Assert.Equal(["k = 0", "k = 1"], kl.Rows.Select(r => r.Series).Distinct());

        // N spans 8..128, more than a decade: log x; the KL spans more than a decade too.
        Assert.True(loss.Chart.X.Log);
        Assert.True(kl.Chart.Y.Log);
        Assert.False(loss.Chart.Y.Log);

        // 5 N x 2 k x 2 metrics.
        Assert.Equal(20, loss.Rows.Count);
        Assert.Equal(10, kl.Rows.Count);
    }

    [Fact]
    public void UnderEachComparisonTheResidualsAreDrawnWithTheSeedsSpreadAndAlignedWithTheChart()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));

        var kl = report.Panels[1];
        var residuals = Assert.IsType<Chart>(kl.Residuals);
        var drawn = residuals.Series.Where(s => s.Line == LineStyle.None).SelectMany(s => s.Points).ToList();
        var expected = kl.Rows.Where(r => r.Residual is not null).ToList();
        Assert.Equal(expected.Count, drawn.Count);
        Assert.All(expected, r => Assert.Contains(drawn, p => p.X == r.X && p.Y == r.Residual && p.Error == (r.Std ?? 0)));
        Assert.Contains(residuals.Series, s => s.Line == LineStyle.Dotted && s.Points.All(p => p.Y == 0));
        Assert.Equal(PlotFrame.Fit(kl.Chart).Right, PlotFrame.Fit(residuals).Right);
        Assert.Equal(PlotFrame.Fit(kl.Chart).Left, PlotFrame.Fit(residuals).Left);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(HtmlReportWriter.Render(report), "<svg "));
    }

    [Fact]
    public void APanelWithoutTheoryHasNoResiduals()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1], theory: false)));

        Assert.All(report.Panels, p => Assert.Null(p.Residuals));
    }

    [Fact]
    public void PanelRowsCarryTheSeedSummaryAndTheTheory()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));
        var row = report.Panels[1].Rows.Single(r => r.Series == "k = 1" && r.X == 16);

        // Seeds at -0.01 and +0.01 around d/(4N) * (1 + k) = 0.125; theory 0.002 above it.
        Assert.Equal(2, row.N);
        Assert.Equal(0.125, row.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(2) * 0.01, row.Std!.Value, 12);
        Assert.Equal(0.127, row.Theory!.Value, 12);
        Assert.Equal(4.0 / (4 * 16), row.Reference!.Value, 12);
        Assert.Equal(SeedAggregator.GridPointKey(Config(16, 1)), row.GridPoint);
    }

    [Fact]
    public void SimulationIsDrawnAsMarkersWithErrorBarsAndTheoryAsLines()
    {
        var chart = ReportBuilder.Build(Input(SampleCells([0, 1]))).Panels[1].Chart;
        var markers = chart.Series.Where(s => s.Marker != MarkerShape.None && s.Points.Count > 0).ToList();
        var curves = chart.Series.Where(s => s.Marker == MarkerShape.None && s.Line != LineStyle.None && s.Points.Count > 0).ToList();

        Assert.Equal(2, markers.Count);
        Assert.All(markers, s => Assert.All(s.Points, p => Assert.True(p.Error > 0)));
        Assert.Equal(2, markers.Select(s => s.Colour).Distinct().Count());

        // Two theory lines and the d/(4N) reference.
        Assert.Equal(3, curves.Count);
        Assert.Single(curves, c => c.Line == LineStyle.Dotted && c.Colour == Palette.Reference);
        Assert.Contains(chart.Series, s => s.Label == "k = 0");
        Assert.Contains(chart.Series, s => s.Label == "replica theory");
    }

    [Fact]
    public void DeclaredPanelsWithAFacetGiveOnePanelPerValue()
    {
        var cells = SampleCells([0, 1]).Concat(SampleCells([0, 1], d: 8)).ToList();
        var section = ReportSection.Parse("""
            panels:
              - title: Loss
                x: N
                y: eps_test_t9
                series: k
                facet: d
                logy: true
            """);
        var report = ReportBuilder.Build(Input(cells, section));

        Assert.False(report.DefaultPanels);
        Assert.Equal(["Loss (d = 4)", "Loss (d = 8)"], report.Panels.Select(p => p.Chart.Title));
        Assert.Equal([1, 2], report.Panels.Select(p => p.Number));
        Assert.All(report.Panels, p => Assert.True(p.Chart.Y.Log));
        Assert.All(report.Panels[1].Rows, r => Assert.Equal("d = 8", r.Facet));
        Assert.Equal(["k = 0", "k = 1"], report.Panels[0].Rows.Select(r => r.Series).Distinct());
    }

    [Fact]
    public void AMetricInTheOlderBracketSpellingStillNamesItsColumn()
    {
        var section = ReportSection.Parse("plot: {x: N, y: \"eps_test_t[9]\"}");
        var report = ReportBuilder.Build(Input(SampleCells([0, 1]), section));

        var panel = Assert.Single(report.Panels);
        Assert.All(panel.Rows, r => Assert.Equal("eps_test_t9", r.Metric));
        Assert.NotEmpty(panel.Rows);
        Assert.Equal("test loss ε, noise prediction (t = 9)", panel.Chart.Y.Label);
    }

    [Fact]
    public void AxesThatVaryWithoutBeingDeclaredStillSplitTheSeries()
    {
        // d varies but the panel only names k: a curve must not jump between d = 4 and d = 8 at equal N.
        var cells = SampleCells([0, 1]).Concat(SampleCells([0, 1], d: 8)).ToList();
        var report = ReportBuilder.Build(Input(cells, ReportSection.Parse("plot: {x: N, y: dkl_ideal_fwd, curves: k}")));
        Assert.Equal(["k = 0, d = 4", "k = 0, d = 8", "k = 1, d = 4", "k = 1, d = 8"], report.Panels[0].Rows.Select(r => r.Series).Distinct());
    }

    [Fact]
    public void NamesThatDoNotFitTheSweepAreWarningsAndFallBackToDefaults()
    {
        var section = ReportSection.Parse("panels: [{x: spectrum, y: eps_test_tavg}, {x: N, y: eps_tset_tavg}, {x: N, y: eps_test_tavg, series: kk, reference: pi}]");
        var report = ReportBuilder.Build(Input(SampleCells([0, 1]), section));

        Assert.Single(report.Panels);
        Assert.Contains(report.Warnings, w => w.Contains("x 'spectrum' is not a numeric grid axis", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("'eps_tset_tavg' (did you mean 'eps_test_tavg'?)", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("series 'kk' is not a grid axis (did you mean 'k'?)", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("unknown reference 'pi'", StringComparison.Ordinal));

        var none = ReportBuilder.Build(Input(SampleCells([0, 1]), ReportSection.Parse("plot: {x: tau, y: nothing}")));
        Assert.True(none.DefaultPanels);
        Assert.Equal(2, none.Panels.Count);
        Assert.Contains(none.Warnings, w => w.Contains("showing the default panels", StringComparison.Ordinal));
    }

    [Fact]
    public void ResidualsAreTheLargestRelativeErrorsFirstAndAtMostTwenty()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));
        Assert.Equal(ReportBuilder.ResidualRows, report.Residuals.Count);
        Assert.Equal(report.Residuals.OrderByDescending(r => r.RelativeError).Select(r => r.RelativeError), report.Residuals.Select(r => r.RelativeError));

        // The KL at N = 128, k = 0 is the smallest value, so its fixed 0.002 difference is the largest relative one.
        var top = report.Residuals[0];
        Assert.Equal(("dkl_ideal_fwd", "N = 128, k = 0"), (top.Metric, top.Parameters));
        Assert.Equal(-0.002, top.Residual, 12);
        Assert.Equal(-0.002 / (Math.Sqrt(2) * 0.01 / Math.Sqrt(2)), top.StandardErrors!.Value, 9);
    }

    [Fact]
    public void ProgressCountsPendingAndFailedCells()
    {
        var cells = SampleCells([0], pending: (config, seed) => seed == 1 && config.N >= 64);
        var firstSim = cells.First(c => c.Cell.Kind == CellKind.Simulation);
        cells.Add(firstSim with { Cell = CellParameters.Simulation(Config(8, 0), 7), Status = ResultStatus.NumericalFailure, Metrics = null, Message = "diverged" });
        var progress = ReportProgress.FromCells(cells);

        Assert.Equal((16, 14, 1, 2), (progress.Cells, progress.WithResults, progress.Failed, progress.Pending));
        Assert.False(progress.IsComplete);
    }

    [Fact]
    public void ATheoryOnlyGridPointShowsItsLineAndIsNoted()
    {
        var cells = SampleCells([0, 1], pending: (config, _) => config.N == 128);
        var panel = ReportBuilder.Build(Input(cells)).Panels[1];
        var rows = panel.Rows.Where(r => r.X == 128).ToList();
        Assert.All(rows, r => Assert.Equal((0, (double?)null), (r.N, r.Mean)));
        Assert.All(rows, r => Assert.NotNull(r.Theory));
        Assert.Contains(panel.Notes, n => n.Contains("2 grid points have no simulation result yet", StringComparison.Ordinal));
    }

    [Fact]
    public void ADivergentMeanIsNotDrawnButNotedAndKeptInTheRows()
    {
        var cells = SampleCells([0]);
        int i = cells.FindIndex(c => c.Cell.Kind == CellKind.Simulation && c.Cell.Config.N == 8);
        var metrics = Metrics(Config(8, 0), 0);
        metrics.SetScalar("dkl_ideal_fwd", double.PositiveInfinity);
        cells[i] = cells[i] with { Metrics = metrics };

        var panel = ReportBuilder.Build(Input(cells)).Panels[1];
        Assert.Equal(double.PositiveInfinity, panel.Rows.Single(r => r.X == 8).Mean);
        Assert.Contains(panel.Notes, n => n.Contains("1 simulation means not drawn (value inf)", StringComparison.Ordinal));
    }

    [Fact]
    public void ParametersListEveryAxisAndMarkTheVaryingOnes()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));
        var n = report.Parameters.Single(p => p.Name == "N");
        Assert.True(n.Varies);
        Assert.Equal(["8", "16", "32", "64", "128"], n.Values);
        Assert.False(report.Parameters.Single(p => p.Name == "c").Varies);
        Assert.Equal(["0.0001"], report.Parameters.Single(p => p.Name == "c").Values);
        Assert.Equal(["identity", "powerlaw k=1"], report.Parameters.Single(p => p.Name == "spectrum").Values);
        Assert.Equal(["0, 9"], report.Parameters.Single(p => p.Name == "t (reported steps)").Values);
        Assert.Equal(["2"], report.Parameters.Single(p => p.Name == "seeds per grid point").Values);
    }

    [Fact]
    public void AnEmptySweepGivesPanelsWithoutData()
    {
        var report = ReportBuilder.Build(Input([]));
        Assert.Equal(2, report.Panels.Count);
        Assert.All(report.Panels, p => Assert.Empty(p.Rows));
        Assert.Empty(report.Residuals);
    }
}
