using Microsoft.Playwright;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// The report of a real run as a reader's browser shows it, driven by Playwright in Debian's Chromium: no script or
/// console error, no text cut off or outside its plot, and figures that shrink with the window instead of making
/// the page scroll sideways. Set SWEEP_REPORT_SCREENSHOTS to a folder to keep the screenshots (docs/reports.md).
/// </summary>
[Collection(ReportGroup.Name)]
public sealed class ReportInBrowserTests
{
    // Losses over two decades of N on log axes, and a KL panel; three seeds for error bars.
    private const string Grid = """
        name: browser-report
        d: 40
        N: {logspace: [1, 3, 6]}
        k: [0, 1]
        c: 1e-3
        T: 200
        seeds: 3
        report:
          title: Linear diffusion, d = 40
          panels:
            - title: Test and train loss against the number of training samples
              x: N
              y: [eps_test_tavg, eps_train_tavg]
              series: k
              logx: true
              logy: true
            - title: KL divergence of generated samples
              x: N
              y: dkl_ideal_fwd
              series: k
              logx: true
              logy: true
              reference: d_over_4N
        """;

    // Every text of a plot inside the plot's box; every heading, paragraph and table cell inside its own box;
    // the page no wider than the window. Each problem comes back as one line.
    private const string LayoutProblems = """
        () => {
          const problems = [];
          const outside = (r, box) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
          for (const svg of document.querySelectorAll('svg')) {
            const box = svg.getBoundingClientRect();
            for (const text of svg.querySelectorAll('text')) {
              const r = text.getBoundingClientRect();
              if (r.width > 0 && outside(r, box)) problems.push(`plot text "${text.textContent}" reaches outside its figure`);
            }
          }
          for (const el of document.querySelectorAll('h1, h2, h3, p, li, th, td, figcaption, summary')) {
            if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 50)}" is cut off`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth + 1) {
            const wide = Array.from(document.body.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1);
            const innermost = wide.filter(e => !wide.some(other => other !== e && e.contains(other)));
            problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window, because of: `
              + innermost.slice(0, 5).map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}"`).join('; '));
          }
          return problems;
        }
        """;

    private const string FigureWidths = "() => Array.from(document.querySelectorAll('svg')).map(s => s.getBoundingClientRect().width)";

    [RequiresChromiumFact]
    public async Task TheReportLoadsWithoutErrorsAndItsTextAndFiguresFitAtAWideAndANarrowWindow()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);
        using var folder = new TempFolder("report-browser");
        ReportedRun.Make(folder, Grid);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            // Nothing may reach for the network: this machine has none, and a report must not need one.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        var widths = new Dictionary<int, double[]>();
        foreach (int width in new[] { 1400, 700 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 } });
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add($"console: {message.Text}");
                }
            };
            page.PageError += (_, error) => errors.Add($"page: {error}");
            page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url}");

            await page.GotoAsync(new Uri(folder["report/report.html"]).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            Assert.Equal("Linear diffusion, d = 40", await page.TitleAsync());
            Assert.Equal(2, await page.Locator("svg").CountAsync());
            var problems = await page.EvaluateAsync<string[]>(LayoutProblems);
            Assert.True(problems.Length == 0, $"at {width} px:\n" + string.Join('\n', problems));
            Assert.True(errors.Count == 0, $"at {width} px:\n" + string.Join('\n', errors));
            widths[width] = await page.EvaluateAsync<double[]>(FigureWidths);
            await KeepScreenshotAsync(page, width);
            await page.CloseAsync();
        }

        // The figures follow the window: narrower in the narrow one, and never wider than it.
        Assert.All(widths[700], w => Assert.InRange(w, 200, 700));
        Assert.True(widths[700].Max() < widths[1400].Max(), $"figure widths {string.Join(", ", widths[700])} at 700 px and {string.Join(", ", widths[1400])} at 1400 px");
    }

    private static async Task KeepScreenshotAsync(IPage page, int width)
    {
        if (Environment.GetEnvironmentVariable("SWEEP_REPORT_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"report-{width}px.png"), FullPage = true });
        }
    }
}
