using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Exports;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Reports;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// `sweep report [SWEEP] [--out DIR]`: an HTML page with the plots of the grid's report section (or default
/// plots), simulation against theory, and the data of every plot as CSV. Works while the sweep is running.
/// </summary>
public static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id. Optional when the store holds one sweep.", Arity = ArgumentArity.ZeroOrOne };
        var store = new StoreOptions();
        var outDir = new Option<string?>("--out") { Description = "Output folder (created if missing): report.html and panel-01.csv, panel-02.csv, ... Default: report/ in the sweep's folder beside the store (./sweeps/<sweep>/report/; ./<sweep>/report/ for a PostgreSQL store)." };
        var command = new Command("report", "Write an HTML report of a sweep: the plots of the grid's report section (default: loss and KL against N, c or tau), simulation points with ±1 std error bars over seeds against theory lines, the parameters, provenance and the largest residuals; the data of every plot as CSV. Self-contained and offline (one inline script, for the SVG and PNG download buttons). Works while the sweep is still running.")
        {
            sweep, outDir,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var location = store.Resolve(parse, parse.GetValue(sweep));
            await using var s = await Stores.StoreFactory.OpenForReadingAsync(location, ct).ConfigureAwait(false);
            string sweepId = await SweepSelection.ResolveAsync(s, parse.GetValue(sweep), ct).ConfigureAwait(false);

            // Before reading the results, which is the slow part; after the store opened, so that a wrong --store leaves no folder behind.
            string folder = DefaultOutputFolder.Choose(parse.GetValue(outDir), Path.Combine(DefaultOutputFolder.For(location, sweepId), "report"));
            var audit = await SweepAudits.CheckAsync(s, sweepId, ct).ConfigureAwait(false);
            var report = await BuildAsync(s, sweepId, DateTimeOffset.UtcNow, ct).ConfigureAwait(false) with { Origin = Origin(s) };
            string page = HtmlReportWriter.Write(report, folder);
            if (audit.NonDeterministicCells > 0)
            {
                error.WriteLine($"warning: {SweepAudits.NonDeterminismMessage(audit)}");
            }

            foreach (string warning in report.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            string state = report.Progress.IsComplete ? string.Empty : $" (partial: {report.Progress.Pending} of {report.Progress.Cells} cells pending)";
            output.WriteLine($"Wrote the report of sweep {sweepId} to {page} ({report.Panels.Count} panels){state}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Reads a sweep out of the store and builds its report.</summary>
    public static async Task<Report> BuildAsync(ISweepStore store, string sweepId, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweeps = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
        var info = sweeps.FirstOrDefault(i => i.Id == sweepId)
            ?? throw new CommandInputException($"no sweep '{sweepId}' in {store.Description}");
        var data = await SweepExport.LoadAsync(store, sweepId, LossSelection.Both, cancellationToken).ConfigureAwait(false);
        var (section, losses) = ReadGrid(info);
        var input = new ReportInput(
            sweepId,
            info.GridHash,
            info.GridText,
            section,
            SeedSummaries.Aggregate(data.Cells),
            ReportProgress.FromCells(data.Cells),
            generatedAt,
            losses);
        return ReportBuilder.Build(input) with { GridFile = await store.GetGridFileAsync(sweepId, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>This program's version (with the commit the build stamped into it), the store and this machine.</summary>
    public static ReportOrigin Origin(ISweepStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var assembly = typeof(ReportCommand).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        return new ReportOrigin(version, store.Description, Environment.MachineName, Environment.ProcessorCount, RuntimeInformation.OSDescription);
    }

    private static (ReportSection Section, LossSelection Losses) ReadGrid(SweepInfo info)
    {
        // The stored text validated when the sweep was submitted, but it may not any more here: its spectrum
        // files are looked up relative to a path this machine may not have, and the grid rules may have grown
        // stricter. The report section is then read from the YAML alone, which needs nothing else.
        try
        {
            var grid = GridFile.Parse(info.GridText, Path.Combine(Directory.GetCurrentDirectory(), info.Id + ".yaml"));
            return (ReportSection.Parse(grid.Report), grid.Loss);
        }
        catch (GridValidationException e)
        {
            var section = ReportSection.FromGridText(info.GridText);
            string first = e.Errors.Count > 0 ? e.Errors[0].ToString() : e.Message;
            return (section.WithWarning($"the stored grid no longer validates here ({first}); its report section was read without validating the rest"), LossSelection.Both);
        }
    }
}
