using SweepCluster.Sweeps.Reports;

namespace SweepCluster.Sweeps.Tests.Reports;

public class ReportSectionTests
{
    [Fact]
    public void NoSectionMeansDefaultPanelsWithoutWarnings()
    {
        Assert.Same(ReportSection.None, ReportSection.Parse(null));
        Assert.Same(ReportSection.None, ReportSection.Parse("  \n"));
    }

    [Fact]
    public void ReadsAListOfPanels()
    {
        var section = ReportSection.Parse("""
            title: Fig. 2 again
            panels:
              - title: KL against N
                x: N
                y: dkl_ideal_fwd
                series: c
                facet: d
                logx: true
                logy: false
                reference: d_over_4N
              - {x: c, y: [eps_test_tavg, eps_train_tavg]}
            """);

        Assert.Empty(section.Warnings);
        Assert.Equal("Fig. 2 again", section.Title);
        Assert.Equal(2, section.Panels.Count);
        var first = section.Panels[0];
        Assert.Equal(new PanelDeclaration("KL against N", "N", first.Y, "c", "d", true, false, "d_over_4N"), first);
        Assert.Equal(["dkl_ideal_fwd"], first.Y);
        Assert.Equal(["eps_test_tavg", "eps_train_tavg"], section.Panels[1].Y);
        Assert.Null(section.Panels[1].LogX);
    }

    [Fact]
    public void ReadsTheSinglePlotFormOfTheGridFormatDocument()
    {
        var section = ReportSection.Parse("plot: {x: N, y: dkl_ideal_fwd, curves: c, log_x: true}");
        var panel = Assert.Single(section.Panels);
        Assert.Equal(("N", "c", (bool?)true), (panel.X, panel.Series, panel.LogX));
        Assert.Empty(section.Warnings);
    }

    [Fact]
    public void ProblemsAreWarningsAndTheRestIsUsed()
    {
        var section = ReportSection.Parse("""
            panels:
              - {x: N, y: eps_test_tavg, colour: red, logx: maybe}
              - {x: N}
              - just a string
            legend: right
            """);

        var panel = Assert.Single(section.Panels);
        Assert.Null(panel.LogX);
        Assert.Contains(section.Warnings, w => w.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(section.Warnings, w => w.Contains("expected true or false", StringComparison.Ordinal));
        Assert.Contains(section.Warnings, w => w.Contains("report.panels[2]: no y", StringComparison.Ordinal));
        Assert.Contains(section.Warnings, w => w.Contains("report.panels[3]: expected a mapping", StringComparison.Ordinal));
        Assert.Contains(section.Warnings, w => w.Contains("unknown key 'legend'", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidYamlIsAWarning()
    {
        var section = ReportSection.Parse("panels: [x: N, y");
        Assert.Empty(section.Panels);
        Assert.Contains("not valid YAML", Assert.Single(section.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsTheSectionStraightFromAGridText()
    {
        var section = ReportSection.FromGridText("""
            d: 100
            N: [10, 20]
            spectrum: {file: missing.txt}
            report:
              panels:
                - {x: N, y: dkl_ideal_fwd}
            seeds: 2
            """);
        Assert.Equal("N", Assert.Single(section.Panels).X);
        Assert.Same(ReportSection.None, ReportSection.FromGridText("d: 100\nN: 20\n"));
    }
}
