using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>`sweep report` on real stores: a finished tiny sweep drawn by a browser, a sweep without results, bad input.</summary>
[Collection(ReportGroup.Name)]
public sealed class ReportCommandTests
{
    // Four N over 1.5 decades, two spectra, three seeds: 8 grid points, 32 cells, a few seconds.
    internal const string Grid = """
        name: tiny-report
        d: 20
        N: {logspace: [1, 2.5, 4]}
        k: [0, 1]
        c: 1e-3
        T: 200
        seeds: 3
        report:
          title: Tiny report
          panels:
            - title: Test and train loss
              x: N
              y: [eps_test_tavg, eps_train_tavg]
              series: k
            - title: KL divergence
              x: N
              y: dkl_ideal_fwd
              series: k
              logx: true
              logy: true
              reference: d_over_4N
        """;

    // Series colours of the report's palette (Okabe-Ito blue and vermillion): only the plots use them.
    private static readonly (byte R, byte G, byte B) _blue = (0x00, 0x72, 0xb2);
    private static readonly (byte R, byte G, byte B) _vermillion = (0xd5, 0x5e, 0x00);

    [RequiresChromiumFact]
    public void AReportOfAFinishedRunIsDrawnByABrowser()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);
        using var folder = new TempFolder("report");
        var report = ReportedRun.Make(folder, Grid);
        Assert.Contains("Wrote the report of sweep tiny-report", report.Stdout, StringComparison.Ordinal);
        Assert.Contains("(2 panels)", report.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", report.Stderr, StringComparison.Ordinal);

        string html = File.ReadAllText(folder["report/report.html"]);
        Assert.Contains("<title>Tiny report</title>", html, StringComparison.Ordinal);
        Assert.Contains("32 of 32 with results", html, StringComparison.Ordinal);

        // Provenance: the grid file the sweep was submitted from, as the submission's journal line recorded it.
        Assert.Contains($"<dt>Grid file</dt><dd><code>{Path.GetFullPath(folder["grid.yaml"])}</code></dd>", html, StringComparison.Ordinal);
        // One inline script (the download buttons) and nothing fetched from elsewhere.
        Assert.Equal(1, CountOf(html, "<script>"));
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        // Two panels, each with the chart of its residuals (simulation - theory) under it.
        Assert.Equal(2 * 2, CountOf(html, "<svg "));
        var klCsv = File.ReadAllLines(folder["report/panel-02.csv"]);
        Assert.Equal(1 + 8, klCsv.Length);
        Assert.All(klCsv.Skip(1), line => Assert.Contains(",dkl_ideal_fwd,3,", line, StringComparison.Ordinal));

        string png = folder["report.png"];
        Chromium.Screenshot(folder["report/report.html"], png, 1200, 2000, folder["chromium-profile"]);
        var image = PngImage.Read(png);
        Assert.Equal((1200, 2000), (image.Width, image.Height));

        var look = Look.At(image);

        // Both series drawn in their colours (markers, error bars, theory lines), in both panels' worth of ink.
        Assert.True(look.Near(_blue) > 400, $"{look.Near(_blue)} pixels of the first series' colour");
        Assert.True(look.Near(_vermillion) > 400, $"{look.Near(_vermillion)} pixels of the second series' colour");

        // Plot frames: long dark horizontal and vertical strokes (text never makes runs this long). The two
        // frames sit one above the other, so their top and bottom edges are 4 rows (more where a line is
        // anti-aliased over two pixels), while their left edges share columns.
        Assert.True(look.LongDarkRows >= 4, $"{look.LongDarkRows} rows with a long dark run (expected the top and bottom edges of 2 frames)");
        Assert.True(look.LongDarkColumns >= 2, $"{look.LongDarkColumns} columns with a long dark run (expected the left and right edges of the frames)");

        // A page with plots, text and tables: some ink, far from a blank or a black page, in many colours
        // (anti-aliasing included). About 4% of this page is not white.
        Assert.InRange(look.NonWhiteShare, 0.015, 0.6);
        Assert.True(look.DistinctColours > 200, $"{look.DistinctColours} distinct colours");
    }

    [Fact]
    public void AReportOfASweepWithoutResultsSaysItIsIncomplete()
    {
        using var folder = new TempFolder("report-partial");
        string grid = folder.Write("tiny.yaml", Grid.Replace("name: tiny-report", "name: partial", StringComparison.Ordinal));
        string store = folder["partial.db"];
        var submit = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "submit", grid, "--store", store);
        Assert.True(submit.ExitCode == 0, $"sweep submit exited with {submit.ExitCode}:\n{submit.Stderr}");

        var report = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "report", "partial", "--store", store, "--out", folder["out"]);
        Assert.True(report.ExitCode == 0, $"sweep report exited with {report.ExitCode}:\n{report.Stderr}");
        Assert.Contains("(partial: 32 of 32 cells pending)", report.Stdout, StringComparison.Ordinal);
        string html = File.ReadAllText(folder["out/report.html"]);
        Assert.Contains("Incomplete sweep.", html, StringComparison.Ordinal);
        Assert.Contains("no data to show yet", html, StringComparison.Ordinal);
        Assert.True(File.Exists(folder["out/panel-01.csv"]));
        Assert.True(File.Exists(folder["out/panel-02.csv"]));
    }

    [Fact]
    public void AnUnknownSweepIsBadInput()
    {
        using var folder = new TempFolder("report-unknown");
        string grid = folder.Write("tiny.yaml", Grid);
        string store = folder["tiny.db"];
        Assert.Equal(0, CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "submit", grid, "--store", store).ExitCode);

        var report = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "report", "nope", "--store", store, "--out", folder["out"]);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains("no sweep 'nope'", report.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder["out"]));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>What the screenshot shows, in counts.</summary>
    private sealed class Look
    {
        private const int LongRun = 250;

        private readonly Dictionary<int, int> _colours = [];

        public double NonWhiteShare { get; private set; }

        public int DistinctColours => _colours.Count;

        public int LongDarkRows { get; private set; }

        public int LongDarkColumns { get; private set; }

        public static Look At(PngImage image)
        {
            var look = new Look();
            long nonWhite = 0;
            var columnRun = new int[image.Width];
            var columnHasLongRun = new bool[image.Width];
            for (int y = 0; y < image.Height; y++)
            {
                int rowRun = 0;
                bool rowHasLongRun = false;
                for (int x = 0; x < image.Width; x++)
                {
                    var (r, g, b, _) = image.Pixel(x, y);
                    int key = (r << 16) | (g << 8) | b;
                    look._colours[key] = look._colours.GetValueOrDefault(key) + 1;
                    if (r < 245 || g < 245 || b < 245)
                    {
                        nonWhite++;
                    }

                    // Dark grey or black, including a one-pixel line anti-aliased over two pixels.
                    bool dark = r < 170 && g < 170 && b < 170 && Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) < 24;
                    rowRun = dark ? rowRun + 1 : 0;
                    rowHasLongRun |= rowRun >= LongRun;
                    columnRun[x] = dark ? columnRun[x] + 1 : 0;
                    columnHasLongRun[x] |= columnRun[x] >= LongRun;
                }

                look.LongDarkRows += rowHasLongRun ? 1 : 0;
            }

            look.LongDarkColumns = columnHasLongRun.Count(c => c);
            look.NonWhiteShare = nonWhite / (double)(image.Width * image.Height);
            return look;
        }

        /// <summary>Pixels within a small distance of a colour (anti-aliased edges of thin strokes are lighter).</summary>
        public int Near((byte R, byte G, byte B) colour) => _colours
            .Where(c => Math.Abs(((c.Key >> 16) & 0xff) - colour.R) + Math.Abs(((c.Key >> 8) & 0xff) - colour.G) + Math.Abs((c.Key & 0xff) - colour.B) <= 30)
            .Sum(c => c.Value);
    }
}
