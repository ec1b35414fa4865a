using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Reports;
using SweepCluster.Sweeps.Reports.Svg;
using SweepCluster.Sweeps.Tests.Reports;

namespace SweepCluster.Sweeps.Tests.Families;

/// <summary>Family cells in the seed summary and the report: their grid points, their own theory and their panels.</summary>
public class FamilySummaryTests
{
    private static FamilySettings Settings(params (string Key, object Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, object>(v.Key, v.Value)));

    private static ExportCell Done(CellDefinition cell, params (string Key, double Value)[] values)
    {
        var metrics = new CellMetrics();
        foreach (var (key, value) in values)
        {
            metrics.SetScalar(key, value);
        }

        return new ExportCell(cell, ResultStatus.Ok, metrics, null);
    }

    [Fact]
    public void MolrgCellsThatDifferOnlyInTheirFamilySettingsAreDifferentGridPoints()
    {
        var model = new ModelConfig { D = 30, N = 8 };
        var r1 = CellParameters.Family(CellKind.Molrg, model, Settings(("r", 1L), ("Nk", 4L)));
        var r2 = CellParameters.Family(CellKind.Molrg, model, Settings(("r", 2L), ("Nk", 4L)));

        var points = SeedAggregator.Aggregate([Done(r1, ("success", 1.0)), Done(r2, ("success", 0.25))]);

        Assert.Equal(2, points.Count);
        Assert.Equal([0.25, 1.0], points.Select(p => p.Metrics.Single(m => m.Metric.Name == "success").Mean!.Value).Order());
        Assert.NotEqual(SeedAggregator.GridPointKey(r1), SeedAggregator.GridPointKey(r2));
    }

    [Fact]
    public void TheSeedsOfAGlPointAreAveragedLikeSimulationSeeds()
    {
        var model = new ModelConfig { D = 64, N = 16 };
        var settings = Settings(("draws", 50L));
        var seeds = new[] { 0L, 1, 2 }.Select(s => CellParameters.Family(CellKind.Gl, model with { Seed0 = s }, settings)).ToList();

        var point = Assert.Single(SeedAggregator.Aggregate(seeds.Select((c, i) => Done(c, ("linear.gl_cos", 0.5 + (0.1 * i))))));

        var gl = point.Metrics.Single(m => m.Metric.Name == "linear_gl_cos");
        Assert.Equal(3, gl.N);
        Assert.Equal(0.6, gl.Mean!.Value, 12);
        Assert.Equal(0.1, gl.Std!.Value, 12);
        Assert.Null(gl.Theory);
    }

    [Fact]
    public void AReproCellsOwnPredictionIsTheTheoryOfItsExactValue()
    {
        var cell = CellParameters.Family(CellKind.Repro, new ModelConfig { D = 100, N = 50 }, Settings(("pairs", 2L)));

        var point = Assert.Single(SeedAggregator.Aggregate([Done(cell, ("exact.nmsd", 0.72), ("theory.nmsd", 0.70), ("mc.rp", 0.5))]));

        var nmsd = point.Metrics.Single(m => m.Metric.Name == "exact_nmsd");
        Assert.Equal(0.70, nmsd.Theory);
        Assert.Equal(0.02, nmsd.Residual!.Value, 12);
        Assert.Null(point.Metrics.Single(m => m.Metric.Name == "mc_rp").Theory);
        Assert.Null(point.Metrics.Single(m => m.Metric.Name == "theory_nmsd").Theory);
    }

    [Fact]
    public void AFamilySweepGetsItsFamilysPanels()
    {
        var cells = new[] { 10, 50, 100, 200 }
            .Select(n => Done(
                CellParameters.Family(CellKind.Repro, new ModelConfig { D = 100, N = n }, Settings(("pairs", 2L))),
                ("exact.nmsd", 100.0 / n), ("theory.nmsd", 99.0 / n), ("exact.cos_conc", 0.5), ("mc.cos_mean", 0.5), ("mc.rp", 0.5)))
            .ToList();

        var report = ReportBuilder.Build(ReportSamples.Input(cells, gridText: "family: repro\nd: 100\nN: [10, 50, 100, 200]\npairs: 2\n"));

        Assert.Equal(3, report.Panels.Count);
        Assert.StartsWith("Reproducibility: NMSD", report.Panels[0].Chart.Title, StringComparison.Ordinal);
        Assert.Equal(100.0, Assert.Single(report.Panels[0].Chart.VerticalMarkers).X);

        // The simulated NMSD as markers, the cells' own prediction as the theory line through all four points.
        Assert.Contains(report.Panels[0].Chart.Series, s => s.Line == LineStyle.None && s.Points.Count == 4);
        Assert.Contains(report.Panels[0].Chart.Series, s => s.Line != LineStyle.None && s.Marker == MarkerShape.None && s.Points.Count == 4);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("no result has the metric", StringComparison.Ordinal));
    }

    [Fact]
    public void AMolrgSweepShowsItsSuccessAsAHeatmapWithTheIdentifiabilityLine()
    {
        var cells = new List<ExportCell>();
        foreach (long r in new[] { 1L, 2, 3 })
        {
            foreach (long nk in new[] { 1L, 2, 3, 4 })
            {
                var cell = CellParameters.Family(CellKind.Molrg, new ModelConfig { D = 30, N = (int)(2 * nk) }, Settings(("K", 2L), ("r", r), ("Nk", nk)));
                cells.Add(Done(cell, ("success", nk > r ? 1.0 : 0.0), ("mean_D", nk > r ? 1e-15 : 0.8)));
            }
        }

        var report = ReportBuilder.Build(ReportSamples.Input(cells, gridText: "family: molrg\nd: 30\nr: [1, 2, 3]\nNk: [1, 2, 3, 4]\n"));

        var heatmap = report.Panels[0].Heatmap;
        Assert.NotNull(heatmap);
        Assert.Equal([1.0, 2, 3, 4], heatmap.Columns);
        Assert.Equal([1.0, 2, 3], heatmap.Rows);
        Assert.Equal([0.0, 1, 1, 1], heatmap.Values[0]);
        Assert.Equal([0.0, 0, 0, 1], heatmap.Values[2]);
        Assert.Equal([2.0, 3, 4], heatmap.Boundary);
        string svg = HeatmapRenderer.Render(heatmap);
        var document = System.Xml.Linq.XDocument.Parse(svg);
        Assert.Equal(12, document.Descendants().Count(e => e.Name.LocalName == "rect" && (string?)e.Attribute("class") == "cell"));
        Assert.Single(document.Descendants(), e => e.Name.LocalName == "polyline" && (string?)e.Attribute("class") == "boundary");
        Assert.Contains("<figure class=\"panel\"", HtmlReportWriter.Render(report), StringComparison.Ordinal);
        Assert.Null(report.Panels[1].Heatmap);
    }

    [Theory]
    [InlineData(0.0, "#440154")]
    [InlineData(1.0, "#fde725")]
    [InlineData(0.5, "#21918c")]
    public void TheHeatmapScaleIsViridis(double t, string colour) => Assert.Equal(colour, HeatmapRenderer.Colour(t));

    [Fact]
    public void MolrgWithOneComponentRunsTheLinearModelPerSeedWithItsTheoryBeside()
    {
        using var folder = new Tests.Grids.TempFolder();
        var grid = GridFile.Load(folder.Write("k1.yaml", "family: molrg\nK: 1\nd: 20\nN: 30\nr: 4\ndelta: 1e-2\nseeds: 2\nT: 100\n"));
        var cells = GridExpander.Cells(grid).ToList();
        var computer = new Execution.UnitComputer(new Model.LinearAlgebra.ManagedLinearAlgebra(), (spec, d) => Model.Spectra.SpectrumFactory.Create(spec, d, _ => string.Empty));

        var outcomes = cells.Select(c => Assert.Single(computer.Compute([c])).Outcome).ToList();

        Assert.Equal(2, cells.Count);
        Assert.All(outcomes, o => Assert.Equal(ResultStatus.Ok, o.Status));
        Assert.All(outcomes, o => Assert.True(o.Metrics!.TryGetScalar("eps_test_tavg", out _), "the seed's loss is kept without its seed prefix"));
        Assert.All(outcomes, o => Assert.False(o.Metrics!.TryGetScalar("mean.eps_test_tavg", out _), "a one-seed cell has no mean of its own"));
        var point = Assert.Single(SeedAggregator.Aggregate(cells.Zip(outcomes, (c, o) => new ExportCell(c, o.Status, o.Metrics, null))));
        var loss = point.Metrics.Single(m => m.Metric.Name == "eps_test_tavg");
        Assert.Equal(2, loss.N);
        Assert.NotNull(loss.Theory);
        Assert.True(loss.RelativeError < 0.2, $"simulation {loss.Mean} against theory {loss.Theory}");
    }
}
