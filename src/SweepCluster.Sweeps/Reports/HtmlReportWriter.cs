using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SweepCluster.Sweeps.Exports;
using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// Writes a report as one self-contained HTML page (report.html: inline SVG and CSS, no script, no external
/// font, image or link other than the CSV files beside it) and the data of every panel as CSV (panel-01.csv,
/// ...). Every file is replaced atomically, and the same report gives byte-identical files.
/// </summary>
public static partial class HtmlReportWriter
{
    public const string ReportFile = "report.html";

    // The figure is serialised as it stands in the page, so the download is the same drawing the reader sees;
    // PNG goes through a canvas at twice the figure's own size, sharp enough for a slide. Nothing leaves the page.
    private const string DownloadScript = """
        document.querySelectorAll("figure.panel button.download").forEach(function (button) {
          button.addEventListener("click", function () {
            var figure = button.closest("figure");
            var svg = figure.querySelector("svg");
            // The serializer writes the SVG namespace, which a figure inline in HTML does not spell out.
            var text = new XMLSerializer().serializeToString(svg);
            var name = figure.id || "figure";
            var save = function (blob, file) {
              var a = document.createElement("a");
              a.href = URL.createObjectURL(blob);
              a.download = file;
              document.body.appendChild(a);
              a.click();
              a.remove();
              setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
            };
            var svgBlob = new Blob([text], { type: "image/svg+xml" });
            if (button.dataset.format === "svg") { save(svgBlob, name + ".svg"); return; }
            var box = svg.viewBox.baseVal;
            var image = new Image();
            image.onload = function () {
              var canvas = document.createElement("canvas");
              canvas.width = Math.round(box.width * 2);
              canvas.height = Math.round(box.height * 2);
              var context = canvas.getContext("2d");
              context.fillStyle = "#ffffff";
              context.fillRect(0, 0, canvas.width, canvas.height);
              context.drawImage(image, 0, 0, canvas.width, canvas.height);
              canvas.toBlob(function (png) { save(png, name + ".png"); }, "image/png");
            };
            image.src = URL.createObjectURL(svgBlob);
          });
        });
        """;

    private const string Css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; background: #fff; margin: 0 auto; max-width: 1080px; padding: 16px 24px 48px; line-height: 1.45; }
        h1 { font-size: 1.5em; margin: 0.4em 0; }
        h2 { font-size: 1.15em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #ddd; padding-bottom: 2px; }
        .lead { color: #444; margin-top: 0; }
        dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0.8em 0; }
        dl.provenance dt { font-weight: bold; }
        dl.provenance dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
        div.wide { overflow-x: auto; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
        .note { border-left: 5px solid #e69f00; background: #fff6e0; padding: 8px 12px; margin: 12px 0; }
        .note.failed { border-color: #d55e00; background: #fdecea; }
        .warnings li { color: #8a3b00; }
        figure.panel { margin: 18px 0 28px; }
        figure.panel svg { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
        figcaption { font-size: 0.92em; color: #333; margin-top: 6px; }
        button.download { font-size: 0.85em; padding: 1px 8px; margin-left: 2px; cursor: pointer; }
        ul.notes { font-size: 0.9em; color: #555; margin: 4px 0 0; }
        table { border-collapse: collapse; font-size: 0.88em; margin: 8px 0; }
        th, td { border-bottom: 1px solid #e2e2e2; padding: 3px 10px; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.varies td:first-child { font-weight: bold; }
        pre { background: #f6f6f6; padding: 10px; overflow-x: auto; }
        footer { margin-top: 32px; font-size: 0.85em; color: #777; }
        """;

    /// <summary>The CSV file name of a panel's data: panel-01.csv, panel-02.csv, ...</summary>
    public static string PanelFile(int number) => string.Create(CultureInfo.InvariantCulture, $"panel-{number:00}.csv");

    /// <summary>Writes report.html and the panel CSVs into <paramref name="directory"/> (created if needed); returns the page's full path.</summary>
    public static string Write(Report report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in report.Panels)
        {
            PanelCsv.Write(panel, Path.Combine(directory, panel.CsvFile));
            current.Add(panel.CsvFile);
        }

        // A report with fewer panels than the last one in this folder would otherwise leave CSVs of panels the
        // page no longer shows; only files with the exact name pattern are touched.
        foreach (string file in Directory.EnumerateFiles(directory, "panel-*.csv"))
        {
            string name = Path.GetFileName(file);
            if (PanelFilePattern().IsMatch(name) && !current.Contains(name))
            {
                File.Delete(file);
            }
        }

        string path = Path.Combine(directory, ReportFile);
        // Streamed into the file: the page of a sweep of 10^5 grid points is over 100 MB of text.
        AtomicFile.WriteText(path, writer => Render(report, writer));
        return Path.GetFullPath(path);
    }

    /// <summary>The page's HTML.</summary>
    public static string Render(Report report)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Render(report, text);
        return text.ToString();
    }

    /// <summary>The page's HTML, written into <paramref name="target"/>.</summary>
    public static void Render(Report report, TextWriter target)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new PageText(target);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(report.Title)).Append("</title>\n");
        html.Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");

        WriteHeader(html, report);
        WriteNotes(html, report);
        html.Append("<section class=\"panels\">\n");
        foreach (var panel in report.Panels)
        {
            WritePanel(html, panel);
        }

        if (report.Panels.Count == 0)
        {
            html.Append("<p>No panel could be drawn: the sweep has no grid point yet.</p>\n");
        }

        html.Append("</section>\n");
        WriteParameters(html, report);
        WriteResiduals(html, report);
        html.Append("<section class=\"grid\">\n<h2>Grid file</h2>\n<details><summary>The grid file of the sweep (its text hashes to the grid hash above)</summary>\n<pre>")
            .Append(E(report.GridText)).Append("</pre>\n</details>\n</section>\n");
        html.Append("<footer>Made by <code>sweep report</code> (SweepCluster, model ").Append(E(report.ModelVersion)).Append(") on ").Append(E(Date(report.GeneratedAt))).Append(".</footer>\n");
        html.Append("<script>\n").Append(DownloadScript).Append("\n</script>\n");
        html.Append("</body>\n</html>\n");
    }

    private static void WriteHeader(PageText html, Report report)
    {
        html.Append("<header>\n<h1>").Append(E(report.Title)).Append("</h1>\n");
        html.Append("<p class=\"lead\">Points: simulation, mean ± 1 standard deviation over the seeds (training-set draws) of each grid point. ")
            .Append("Lines: the replica-theory prediction for the same grid point. Each panel's data is in the CSV file linked below it.</p>\n");
        var progress = report.Progress;
        string versions = report.ResultModelVersions.Count == 0 || (report.ResultModelVersions.Count == 1 && report.ResultModelVersions[0] == report.ModelVersion)
            ? report.ModelVersion
            : $"{report.ModelVersion} (results computed by {string.Join(", ", report.ResultModelVersions)})";
        html.Append("<dl class=\"provenance\">\n");
        Term(html, "Sweep", E(report.SweepId));
        if (report.GridFile is { } gridFile)
        {
            Term(html, "Grid file", $"<code>{E(gridFile)}</code>");
        }

        Term(html, "Grid hash", $"<code>{E(report.GridHash)}</code>");
        Term(html, "Model version", E(versions));
        Term(html, "Generated", E(Date(report.GeneratedAt)));
        if (report.Origin is { } origin)
        {
            Term(html, "Tool version", $"<code>{E(origin.ToolVersion)}</code>");
            Term(html, "Store", E(origin.Store));
            Term(html, "Machine", E(origin.Machine));
        }

        Term(html, "Cells", E(Invariant($"{progress.WithResults} of {progress.Cells} with results ({progress.Pending} pending, {progress.Failed} failed)")));
        Term(html, "Grid points", E(Invariant($"{report.GridPoints}")));
        Term(html, "Panels", report.DefaultPanels ? "default panels (no usable <code>report:</code> section in the grid)" : "as declared in the grid's <code>report:</code> section");
        html.Append("</dl>\n</header>\n");
    }

    private static void WriteNotes(PageText html, Report report)
    {
        var progress = report.Progress;
        if (!progress.IsComplete)
        {
            html.Append("<p class=\"note incomplete\"><strong>Incomplete sweep.</strong> ")
                .Append(E(Invariant($"{progress.Pending} of {progress.Cells} cells are still pending. This report shows the {progress.WithResults} results that had landed when it was made; run sweep report again for the rest.")))
                .Append("</p>\n");
        }

        if (progress.Failed > 0)
        {
            html.Append("<p class=\"note failed\">")
                .Append(E(Invariant($"{progress.Failed} cells ended in a numerical failure; they are left out of every mean (see cells.csv of sweep export for the messages).")))
                .Append("</p>\n");
        }

        if (report.ResultModelVersions.Any(v => v != report.ModelVersion))
        {
            html.Append("<p class=\"note\">").Append(E($"Some results were computed by another model version than this code's ({report.ModelVersion}).")).Append("</p>\n");
        }

        if (report.Warnings.Count > 0)
        {
            html.Append("<section class=\"warnings\">\n<h2>Problems with the report section</h2>\n<ul>\n");
            foreach (string warning in report.Warnings)
            {
                html.Append("<li>").Append(E(warning)).Append("</li>\n");
            }

            html.Append("</ul>\n</section>\n");
        }
    }

    private static void WritePanel(PageText html, ReportPanel panel)
    {
        html.Append("<figure class=\"panel\" id=\"").Append(E(panel.Chart.Id)).Append("\">\n");
        if (panel.Heatmap is { } heatmap)
        {
            HeatmapRenderer.Render(heatmap, standalone: false, html.Target);
        }
        else
        {
            ChartRenderer.Render(panel.Chart, standalone: false, html.Target);
        }

        if (panel.Heatmap is null && panel.Residuals is { } residuals)
        {
            ChartRenderer.Render(residuals, standalone: false, html.Target);
        }

        html.Append("<figcaption>").Append(E(Invariant($"Panel {panel.Number}: {panel.Chart.Title}. {panel.Rows.Count} values; data: ")))
            .Append("<a href=\"").Append(E(panel.CsvFile)).Append("\">").Append(E(panel.CsvFile)).Append("</a>. ")
            .Append("<button type=\"button\" class=\"download\" data-format=\"svg\">SVG</button> ")
            .Append("<button type=\"button\" class=\"download\" data-format=\"png\">PNG</button></figcaption>\n");
        if (panel.Notes.Count > 0)
        {
            html.Append("<ul class=\"notes\">\n");
            foreach (string note in panel.Notes)
            {
                html.Append("<li>").Append(E(note)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</figure>\n");
    }

    private static void WriteParameters(PageText html, Report report)
    {
        html.Append("<section class=\"parameters\">\n<h2>Parameters</h2>\n<p>The values of every setting over the grid points; the axes that vary are in bold.</p>\n");
        html.Append("<div class=\"wide\"><table>\n<thead><tr><th>setting</th><th>values</th></tr></thead>\n<tbody>\n");
        foreach (var p in report.Parameters)
        {
            html.Append(p.Varies ? "<tr class=\"varies\">" : "<tr>")
                .Append("<td>").Append(E(p.Name)).Append("</td><td>").Append(E(string.Join(", ", p.Values))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void WriteResiduals(PageText html, Report report)
    {
        html.Append("<section class=\"residuals\">\n<h2>Largest differences between simulation and theory</h2>\n");
        if (report.Residuals.Count == 0)
        {
            html.Append("<p>No grid point has both a simulation mean and a theory value yet.</p>\n</section>\n");
            return;
        }

        html.Append(E(Invariant($"The {report.Residuals.Count} largest relative errors |mean - theory| / |theory| over every grid point and metric. ")))
            .Append("The last column is the residual in standard errors of the mean (std / &#8730;n): a residual of many standard errors is more than the spread of the seeds explains.\n");
        html.Append("<div class=\"wide\"><table>\n<thead><tr><th>#</th><th>metric</th><th>grid point</th><th>n</th><th>mean</th><th>std</th><th>theory</th><th>residual</th><th>relative error</th><th>residual / s.e.</th></tr></thead>\n<tbody>\n");
        int rank = 0;
        foreach (var r in report.Residuals)
        {
            rank++;
            html.Append("<tr>")
                .Append(Num(Invariant($"{rank}")))
                .Append("<td>").Append(E(r.Metric)).Append("</td>")
                .Append("<td>").Append(E(r.Parameters)).Append("</td>")
                .Append(Num(Invariant($"{r.N}")))
                .Append(Num(G(r.Mean)))
                .Append(Num(r.Std is { } s ? G(s) : string.Empty))
                .Append(Num(G(r.Theory)))
                .Append(Num(G(r.Residual)))
                .Append(Num(Invariant($"{r.RelativeError * 100:G3}%")))
                .Append(Num(r.StandardErrors is { } z ? Invariant($"{z:F1}") : string.Empty))
                .Append("</tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void Term(PageText html, string term, string definitionHtml) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(definitionHtml).Append("</dd>\n");

    private static string Num(string text) => $"<td class=\"num\">{E(text)}</td>";

    // Four significant digits: enough to see a difference in a table, short enough to scan.
    private static string G(double value) => double.IsFinite(value)
        ? value.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal)
        : ParameterValue.Format(value);

    private static string Date(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => SvgWriter.Escape(text);

    [GeneratedRegex("^panel-[0-9]{2,}\\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex PanelFilePattern();

    /// <summary>A <see cref="TextWriter"/> with StringBuilder's chained Append, so the page reads as it is laid out.</summary>
    private sealed class PageText(TextWriter target)
    {
        public TextWriter Target { get; } = target;

        public PageText Append(string? text)
        {
            Target.Write(text);
            return this;
        }
    }
}
