using System.Text.RegularExpressions;
using SweepCluster.Model.Versioning;
using SweepCluster.Sweeps.Reports;
using SweepCluster.Sweeps.Tests.Exports;
using static SweepCluster.Sweeps.Tests.Reports.ReportSamples;

namespace SweepCluster.Sweeps.Tests.Reports;

public class HtmlReportWriterTests
{
    [Fact]
    public void ThePageIsSelfContained()
    {
        string html = HtmlReportWriter.Render(ReportBuilder.Build(Input(SampleCells([0, 1]))));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);

        // One inline script, for the download buttons; nothing loaded from elsewhere.
        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.Contains("<script>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);

        // The only links are the CSVs beside the page.
        var hrefs = Regex.Matches(html, "(?:href|src)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["panel-01.csv", "panel-02.csv"], hrefs);
    }

    [Fact]
    public void OneSvgPerPanelWithItsResidualsAndTheProvenance()
    {
        var cells = SampleCells([0, 1]).Concat(SampleCells([0, 1], d: 8)).ToList();
        var report = ReportBuilder.Build(Input(cells, ReportSection.Parse("panels: [{x: N, y: eps_test_tavg, facet: d}, {x: N, y: dkl_ideal_fwd}]")));
        string html = HtmlReportWriter.Render(report);

        Assert.Equal(3, report.Panels.Count);
        // Each panel compares with the theory, so each has its residual chart under it.
        Assert.Equal(3 * 2, Regex.Count(html, "<svg "));
        Assert.Equal(3 * 2, Regex.Count(html, "</svg>"));
        Assert.Equal(3, Regex.Count(html, "aria-label=\"Simulation − theory"));
        Assert.Contains("sample", html, StringComparison.Ordinal);
        Assert.Contains("0123abcd", html, StringComparison.Ordinal);
        Assert.Contains(ModelVersion.Current, html, StringComparison.Ordinal);
        Assert.Contains("2025-05-30 12:00:00 UTC", html, StringComparison.Ordinal);
        Assert.Contains("Largest differences between simulation and theory", html, StringComparison.Ordinal);
        Assert.Equal(ReportBuilder.ResidualRows, Regex.Count(html, "<tr><td class=\"num\">"));
        Assert.DoesNotContain("Incomplete sweep", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Tool version", html, StringComparison.Ordinal);
        Assert.Equal(3 * 2, Regex.Count(html, "<button type=\"button\" class=\"download\" data-format=\"(svg|png)\">"));
    }

    [Fact]
    public void TheOriginOfAReportIsOnThePage()
    {
        var report = ReportBuilder.Build(Input(SampleCells([0, 1]), ReportSection.Parse("panels: [{x: N, y: eps_test_tavg}]")))
            with
        { Origin = new ReportOrigin("1.2.3+abcdef0", "/data/<sweeps>.db", "node-7", 64, "Linux 6.1") };
        string html = HtmlReportWriter.Render(report);

        Assert.Contains("<dt>Tool version</dt><dd><code>1.2.3+abcdef0</code></dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Store</dt><dd>/data/&lt;sweeps&gt;.db</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Machine</dt><dd>node-7 (64 cores, Linux 6.1)</dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIncompleteSweepIsSaidToBeIncomplete()
    {
        string html = HtmlReportWriter.Render(ReportBuilder.Build(Input(SampleCells([0, 1], pending: (config, seed) => seed == 1))));
        Assert.Contains("Incomplete sweep.", html, StringComparison.Ordinal);
        Assert.Contains("10 of 30 cells are still pending", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GridTextTitlesAndWarningsAreEscaped()
    {
        var section = ReportSection.Parse("title: \"<script>alert(1)</script>\"\npanels: [{x: N, y: eps_test_tavg, title: \"a < b & c\"}, {x: \"<i>\", y: eps_test_tavg}]");
        string grid = "d: 4 # </pre><script>x</script>\nN: [8, 16]\n";
        string html = HtmlReportWriter.Render(ReportBuilder.Build(Input(SampleCells([0]), section, grid)));

        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase)); // the page's own, for the download buttons
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("a &lt; b &amp; c", html, StringComparison.Ordinal);
        Assert.Contains("# &lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("x &#39;&lt;i&gt;&#39; is not a numeric grid axis", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesThePageAndOneCsvPerPanel()
    {
        using var folder = new TempDirectory();
        var report = ReportBuilder.Build(Input(SampleCells([0, 1])));
        string page = HtmlReportWriter.Write(report, folder.Path);

        Assert.Equal(folder.File("report.html"), page);
        Assert.Equal(HtmlReportWriter.Render(report), File.ReadAllText(page));
        Assert.Equal(["panel-01.csv", "panel-02.csv", "report.html"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var lines = File.ReadAllLines(folder.File("panel-02.csv"));
        Assert.Equal("panel,facet,series,N,metric,n,mean,std,theory,residual,relative_error,reference,grid_point", lines[0]);
        Assert.Equal(1 + report.Panels[1].Rows.Count, lines.Length);
        Assert.StartsWith("2,,k = 0,8,dkl_ideal_fwd,2,0.125,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",0.125," + report.Panels[1].Rows[0].GridPoint, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void RewritingWithFewerPanelsRemovesTheirOldCsvsOnly()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("panel-07.csv"), "old");
        File.WriteAllText(folder.File("panel-notes.csv"), "mine");
        File.WriteAllText(folder.File("cells.csv"), "export");
        HtmlReportWriter.Write(ReportBuilder.Build(Input(SampleCells([0, 1]))), folder.Path);

        Assert.Equal(["cells.csv", "panel-01.csv", "panel-02.csv", "panel-notes.csv", "report.html"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheSameInputGivesTheSamePage()
    {
        var cells = SampleCells([0, 1]);
        string a = HtmlReportWriter.Render(ReportBuilder.Build(Input(cells)));
        cells.Reverse();
        string b = HtmlReportWriter.Render(ReportBuilder.Build(Input(cells)));
        Assert.Equal(a, b);
    }
}
