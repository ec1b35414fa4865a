using System.Xml.Linq;
using Microsoft.Playwright;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// The report of a real run, opened in headless Chromium through Playwright: what a paper's reader sees. Fails on
/// script errors, on text outside its figure, on a page wider than the window, and on downloads that are not the
/// files they claim to be.
/// </summary>
[Collection(ReportGroup.Name)]
public sealed class ReportBrowserTests
{
    // Text may touch its figure's edge (anti-aliasing, rounding of glyph boxes), not cross it.
    private const double Slack = 0.75;

    // Every text of every figure, measured in the page (after transforms, with the real font), against its
    // figure's box; and every heading and caption against its own box.
    private const string ClippedTextScript = """
        () => {
          const problems = [];
          const slack = arguments_slack;
          document.querySelectorAll("svg.chart").forEach((svg, i) => {
            const frame = svg.getBoundingClientRect();
            svg.querySelectorAll("text").forEach(t => {
              const b = t.getBoundingClientRect();
              if (b.width === 0 && b.height === 0) { return; }
              if (b.left < frame.left - slack || b.top < frame.top - slack || b.right > frame.right + slack || b.bottom > frame.bottom + slack) {
                problems.push(`figure ${i + 1}: "${t.textContent}" at [${b.left.toFixed(1)}, ${b.top.toFixed(1)}, ${b.right.toFixed(1)}, ${b.bottom.toFixed(1)}] outside [${frame.left.toFixed(1)}, ${frame.top.toFixed(1)}, ${frame.right.toFixed(1)}, ${frame.bottom.toFixed(1)}]`);
              }
            });
          });
          document.querySelectorAll("h1, h2, figcaption, dt, dd").forEach(e => {
            if (e.scrollWidth > e.clientWidth + 1) { problems.push(`${e.tagName.toLowerCase()} "${e.textContent.slice(0, 60)}" overflows its box (${e.scrollWidth} > ${e.clientWidth})`); }
          });
          return problems;
        }
        """;

    private const string LayoutScript = """
        () => ({
          pageWidth: document.documentElement.scrollWidth,
          windowWidth: window.innerWidth,
          figureWidths: Array.from(document.querySelectorAll("svg.chart")).map(s => s.getBoundingClientRect().width),
          overflowing: Array.from(document.body.querySelectorAll("*"))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.parentElement.closest("div.wide, pre"))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + (e.getAttribute("class") || "")),
        })
        """;

    [RequiresChromiumFact]
    public async Task TheReportOfARunReadsCleanlyInABrowserAtTwoWidthsAndItsFiguresDownload()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);
        using var folder = new TempFolder("report-browser");
        string grid = folder.Write("tiny.yaml", ReportCommandTests.Grid);
        string store = folder["tiny.db"];
        var run = CliProcess.Run(TimeSpan.FromMinutes(5), folder.Path, "run", grid, "--store", store, "--workers", "2");
        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        var report = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "report", "--store", store, "--out", folder["report"]);
        Assert.True(report.ExitCode == 0, $"sweep report exited with {report.ExitCode}:\n{report.Stderr}");
        string url = new Uri(folder["report/report.html"]).AbsoluteUri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var widths = new Dictionary<int, double[]>();
        foreach (int width in new[] { 1400, 700 })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 }, AcceptDownloads = true });
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    errors.Add($"console {message.Type}: {message.Text}");
                }
            };
            page.PageError += (_, message) => errors.Add($"page error: {message}");
            page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url}");
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            var clipped = await page.EvaluateAsync<string[]>(ClippedText);
            Assert.True(clipped.Length == 0, $"at {width} px:\n" + string.Join("\n", clipped));

            var layout = await page.EvaluateAsync<Layout>(LayoutScript);
            Assert.True(layout.PageWidth <= layout.WindowWidth, $"at {width} px the page is {layout.PageWidth} px wide: it scrolls sideways (wider than the window: {string.Join(", ", layout.Overflowing)})");
            // Two panels, each a chart and the chart of its residuals under it.
            Assert.Equal(2 * 2, layout.FigureWidths.Length);
            Assert.All(layout.FigureWidths, w => Assert.InRange(w, 100, layout.WindowWidth));
            widths[width] = layout.FigureWidths;

            if (width == 1400)
            {
                await CheckProvenanceAsync(page, store);
                await CheckDownloadsAsync(page, folder);
            }

            Assert.True(errors.Count == 0, $"at {width} px:\n" + string.Join("\n", errors));
        }

        // The figures follow the window: narrower in the narrow window.
        for (int i = 0; i < widths[700].Length; i++)
        {
            Assert.True(widths[700][i] < widths[1400][i], $"figure {i + 1} is {widths[700][i]} px wide at 700 px and {widths[1400][i]} px at 1400 px");
        }
    }

    // The measurement must see clipping when there is some: a title running out of its figure, a tick label
    // under its bottom edge, and a caption wider than its box.
    [RequiresChromiumFact]
    public async Task TheClippingCheckFindsTextOutsideItsFigure()
    {
        using var folder = new TempFolder("report-clipped");
        string page = folder.Write("clipped.html", """
            <!DOCTYPE html><html><body style="width: 500px">
            <svg class="chart" width="300" height="200" viewBox="0 0 300 200" font-size="12">
            <text x="150" y="20" text-anchor="middle">A title far too long for a figure that is only three hundred pixels wide</text>
            <text x="40" y="205">10</text>
            <text x="40" y="100">inside</text>
            </svg>
            <figure><figcaption style="white-space: nowrap; overflow: hidden; width: 80px">a caption that cannot fit in eighty pixels</figcaption></figure>
            </body></html>
            """);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var tab = await browser.NewPageAsync();
        await tab.GotoAsync(new Uri(page).AbsoluteUri);
        var clipped = await tab.EvaluateAsync<string[]>(ClippedText);

        Assert.True(clipped.Length == 3, string.Join("\n", clipped));
        Assert.Contains(clipped, p => p.Contains("A title far too long", StringComparison.Ordinal));
        Assert.Contains(clipped, p => p.StartsWith("figure 1: \"10\"", StringComparison.Ordinal));
        Assert.Contains(clipped, p => p.StartsWith("figcaption", StringComparison.Ordinal));
    }

    // The pictures in docs/: the report of examples/quickstart.yaml, the whole page and its first panel.
    // Set SWEEP_REPORT_SCREENSHOTS to a folder to keep them (scripts/report-screenshots.sh writes docs/images/).
    [RequiresChromiumFact]
    public async Task ScreenshotsOfTheQuickstartReport()
    {
        using var folder = new TempFolder("report-screenshots");
        string grid = Path.Combine(Faults.PostgresServer.RepositoryRoot(), "examples", "quickstart.yaml");
        string store = folder["quickstart.db"];
        var run = CliProcess.Run(TimeSpan.FromMinutes(5), folder.Path, "run", grid, "--store", store, "--workers", "2");
        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        var report = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "report", "--store", store, "--out", folder["report"]);
        Assert.True(report.ExitCode == 0, $"sweep report exited with {report.ExitCode}:\n{report.Stderr}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(new Uri(folder["report/report.html"]).AbsoluteUri);
        var shots = new Dictionary<string, string>
        {
            ["report-page.png"] = folder["report-page.png"],
            ["report-panel.png"] = folder["report-panel.png"],
        };
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shots["report-page.png"], FullPage = true });
        await page.Locator("figure.panel svg").First.ScreenshotAsync(new LocatorScreenshotOptions { Path = shots["report-panel.png"] });

        var whole = PngImage.Read(shots["report-page.png"]);
        Assert.Equal(1200, whole.Width);
        Assert.True(whole.Height > 1500, $"the page is only {whole.Height} px high");
        var panel = PngImage.Read(shots["report-panel.png"]);
        Assert.InRange(panel.Width, 500, 1200);

        if (Environment.GetEnvironmentVariable("SWEEP_REPORT_SCREENSHOTS") is { Length: > 0 } keep)
        {
            foreach (var (name, file) in shots)
            {
                File.Copy(file, Path.Combine(keep, name), overwrite: true);
            }
        }
    }

    // Which code, which data and which machine made the figures: the version with the commit the build stamped,
    // the store, and the machine's name, cores and operating system.
    private static async Task CheckProvenanceAsync(IPage page, string store)
    {
        string provenance = await page.InnerTextAsync("dl.provenance");
        Assert.Matches(@"Tool version\s+\S+\+[0-9a-f]{7,}", provenance);
        Assert.Contains(store, provenance, StringComparison.Ordinal);
        Assert.Contains($"{Environment.MachineName} ({Environment.ProcessorCount} cores, ", provenance, StringComparison.Ordinal);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.OSDescription, provenance, StringComparison.Ordinal);
        Assert.Matches(@"Model version\s+\S", provenance);
    }

    private static async Task CheckDownloadsAsync(IPage page, TempFolder folder)
    {
        var figure = page.Locator("figure.panel").First;
        int viewBoxWidth = await figure.Locator("svg").First.EvaluateAsync<int>("s => s.viewBox.baseVal.width");

        var svgDownload = await page.RunAndWaitForDownloadAsync(() => figure.Locator("button.download[data-format=svg]").ClickAsync());
        string svgFile = folder["download.svg"];
        await svgDownload.SaveAsAsync(svgFile);
        Assert.EndsWith(".svg", svgDownload.SuggestedFilename, StringComparison.Ordinal);
        var svg = XDocument.Load(svgFile);
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
        Assert.True(svg.Descendants().Count(e => e.Name.LocalName == "text") > 5, "the downloaded SVG has its axis text");

        var pngDownload = await page.RunAndWaitForDownloadAsync(() => figure.Locator("button.download[data-format=png]").ClickAsync());
        string pngFile = folder["download.png"];
        await pngDownload.SaveAsAsync(pngFile);
        Assert.EndsWith(".png", pngDownload.SuggestedFilename, StringComparison.Ordinal);
        byte[] bytes = await File.ReadAllBytesAsync(pngFile);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }, bytes[..8]);
        Assert.True(bytes.Length > 10_000, $"the PNG is only {bytes.Length} bytes");
        var image = PngImage.Read(pngFile);
        Assert.Equal(2 * viewBoxWidth, image.Width);
    }

    // Playwright fills the result of a script into a type with a parameterless constructor and setters.
    private static string ClippedText => ClippedTextScript.Replace("arguments_slack", Slack.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private sealed class Layout
    {
        public double PageWidth { get; set; }

        public double WindowWidth { get; set; }

        public double[] FigureWidths { get; set; } = [];

        public string[] Overflowing { get; set; } = [];
    }
}
