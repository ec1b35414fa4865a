using System.CommandLine;
using Serilog;
using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Logging;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.Progress;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Progress;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Exports;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// `sweep run GRID`: the embedded mode. Validates the grid, writes its sweep, cells and units to a SQLite
/// store (or any --store), computes every missing cell with one worker of --workers slots and a
/// coordinator in this process, then writes the exports. Running it again resumes.
/// </summary>
public static class RunCommand
{
    /// <summary>The prefix of an embedded run's node id: how its member reports are told from a cluster's.</summary>
    private const string EmbeddedNodeRole = "run";

    /// <summary>Seconds between progress log lines while a progress bar shows the progress.</summary>
    private const double BarLogSeconds = 30;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var grid = new Argument<string>("GRID") { Description = "The grid file (YAML; see docs/grid-format.md)." };
        var store = new StoreOptions();
        var workers = new Option<int>("--workers") { Description = $"Compute slots (units at once), 1 to {Configuration.SweepSettings.MaxSlots}. Default: one per core.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Put units that failed for good back in the queue first." };
        var outDir = new Option<string?>("--out") { Description = "Where the exports go. Default: ./sweeps/<sweep>/ beside the store." };
        var format = Options.ExportFormatOption.Create();
        var logJson = new Option<string?>("--log-json") { Description = "Also write JSON log lines to this file (one is always written beside the store)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every unit." };
        var backend = Options.BackendOption.Create();
        var config = new Option<string?>("--config") { Description = "Settings file (JSON, see docs/configuration.md); Sweep__* environment variables override it." };
        var set = GridLoading.CreateSetOption();
        var command = new Command("run", "Run a grid on this machine (SQLite store, coordinator and worker in one process). Interrupt it at any time; running it again resumes without recomputing anything.")
        {
            grid, workers, retryFailed, outDir, format, logJson, verbose, backend, config, set,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, () => ExecuteAsync(
            parse.GetValue(grid)!,
            parse.GetValue(set) ?? [],
            parse,
            store,
            parse.GetValue(workers),
            parse.GetValue(retryFailed),
            parse.GetValue(outDir),
            parse.GetValue(format)!,
            parse.GetValue(logJson),
            parse.GetValue(verbose),
            parse.GetValue(backend)!,
            SweepCluster.Cli.Configuration.SweepConfigurationLoader.Load(parse.GetValue(config), error),
            output,
            error)));
        return command;
    }

    private static async Task<int> ExecuteAsync(string gridPath, string[] sets, ParseResult parse, StoreOptions storeOptions, int workers, bool retryFailed, string? outDir, string format, string? logJson, bool verbose, string backend, Configuration.SweepSettings sweepSettings, TextWriter output, TextWriter error)
    {
        if (workers is < 1 or > Configuration.SweepSettings.MaxSlots)
        {
            error.WriteLine($"error: --workers: {workers} is out of range; give 1 to {Configuration.SweepSettings.MaxSlots} compute slots (one per core is the default)");
            return ExitCodes.BadInput;
        }

        var grid = GridLoading.TryLoad(gridPath, sets, error);
        if (grid is null)
        {
            return ExitCodes.BadInput;
        }

        StoreLocation location;
        ILinearAlgebra algebra;
        try
        {
            location = storeOptions.Resolve(parse, () => new StoreLocation(false, Path.Combine("sweeps", grid.Name + ".db")));
            algebra = LinearAlgebraBackends.Create(backend);
        }
        catch (StoreLocationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (InvalidOperationException e)
        {
            // The environment lacks the library (not the user's input).
            error.WriteLine($"error: --backend: {e.Message}");
            return ExitCodes.Failure;
        }

        // Before anything is written or computed: a folder that cannot take the exports fails now, not after the run.
        string storeFolder = Path.GetDirectoryName(Path.GetFullPath(location.IsPostgres ? Path.Combine("sweeps", grid.Name) : location.Value))!;
        string exportDir;
        try
        {
            exportDir = outDir is not null ? OutputFolder.EnsureWritable(outDir, "--out") : Path.Combine(storeFolder, grid.Name);
            OutputFolder.EnsureWritableFor(logJson, "--log-json");
            if (!location.IsPostgres)
            {
                // The lock file, the log and the store go there.
                OutputFolder.EnsureWritable(storeFolder, "the store's folder (--store)");
            }
        }
        catch (CommandInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        using var runLock = location.IsPostgres ? null : EmbeddedRunLock.TryTake(location.Value);
        if (!location.IsPostgres && runLock is null)
        {
            error.WriteLine($"error: another `sweep run` is running on {location.Redacted} (it holds {EmbeddedRunLock.PathFor(location.Value)}); wait for it to finish, follow it with `sweep status --store {location.Value}`, or stop it (Ctrl-C) and run again to resume");
            return ExitCodes.Failure;
        }

        string logFile = location.IsPostgres ? Path.Combine("sweeps", grid.Name + ".log.jsonl") : Path.ChangeExtension(location.Value, ".log.jsonl");
        bool progressBar = TerminalProgressBar.IsSupported;
        await using var log = CliLogging.Create(error, verbose, sweepSettings, logJson is null ? [logFile] : [logFile, logJson]);
        // Akka's own log lines (Akka.Logger.Serilog) go to the global logger: the same pipeline as ours.
        Log.Logger = log;
        var runLog = log.ForContext("SweepId", grid.Name);
        using var drain = new SignalDrain(error);

        ISweepStore store;
        try
        {
            store = await StoreFactory.OpenAsync(location, migrate: true, CancellationToken.None).ConfigureAwait(false);
            if (outDir is null)
            {
                OutputFolder.EnsureWritable(exportDir, "the export folder beside the store (choose another with --out)");
            }
        }
        catch (Exception e) when (e is StoreLocationException or StoreDamagedException or CommandInputException)
        {
            runLog.Error("{Message}", e.Message);
            return e switch
            {
                StoreDamagedException => ExitCodes.StoreDamaged,
                CommandInputException => ExitCodes.BadInput,
                _ => e.InnerException is null ? ExitCodes.BadInput : ExitCodes.Failure,
            };
        }

        await using (store.ConfigureAwait(false))
        {
            if (await RunningCoordinatorsAsync(store, location).ConfigureAwait(false) is { Count: > 0 } running)
            {
                runLog.Error(
                    "A cluster is running on {Store} (coordinator {Coordinators} reported within {Seconds:0} s): a second coordinator beside it would double its decisions. Give the grid to that cluster with `sweep submit`, or stop it first (a run killed a moment ago ages out within {Seconds:0} s)",
                    location.Redacted, string.Join(", ", running), MemberTable.StaleAfter.TotalSeconds);
                return ExitCodes.Failure;
            }

            var sweep = GridExpander.Source(grid);
            if (retryFailed)
            {
                int requeued = await store.RetryFailedAsync(sweep.Id).ConfigureAwait(false);
                runLog.Information("Re-queued {Requeued} failed units of {SweepId}", requeued, sweep.Id);
            }

            var submitted = await store.SubmitAsync(sweep).ConfigureAwait(false);
            if (await store.ResumeSweepAsync(sweep.Id).ConfigureAwait(false))
            {
                runLog.Information("Sweep {SweepId} was cancelled; running it again resumes it", sweep.Id);
            }

            runLog.Information(
                "Sweep {SweepId}: {Cells} cells ({Reused} already in the store), {Units} units to compute with {Slots} slots on {Backend}; store {Store}",
                sweep.Id, submitted.Cells, submitted.CompletedCells, submitted.PlannedUnits, workers, algebra.Name, location.Redacted);
            if (!submitted.NewSweep)
            {
                runLog.Information("Resuming sweep {SweepId}: {NewUnits} new units written", sweep.Id, submitted.NewUnits);
            }

            var exports = new FinishedSweepExports(store, format, grid.Loss, log);
            // A bar moves every second; its log lines come at most every BarLogSeconds, so they do not push it around.
            var settings = sweepSettings.ToClusterSettings() with
            {
                ProgressInterval = TimeSpan.FromSeconds(progressBar ? 1 : sweepSettings.ProgressIntervalSeconds),
                ProgressLogInterval = TimeSpan.FromSeconds(progressBar ? Math.Max(BarLogSeconds, sweepSettings.ProgressIntervalSeconds) : sweepSettings.ProgressIntervalSeconds),
            };
            await using var bar = progressBar ? new TerminalProgressBar(sweep.Id) : null;
            await using var cancelWatch = new CancelWatch(store, sweep.Id, settings.ProgressInterval, runLog, drain.Token);
            var result = await EmbeddedRun.RunAsync(
                store,
                sweep.Id,
                ClusterNodes.JournalFor(location),
                spectra => new UnitComputer(algebra, spectra.Get),
                new WorkerOptions(WorkerOptions.NewNodeId(EmbeddedNodeRole), workers),
                settings,
                log,
                bar,
                (id, progress, ct) => exports.WriteAsync(id, exportDir, ct),
                cancelWatch.Token).ConfigureAwait(false);

            if (bar is not null)
            {
                await bar.DisposeAsync().ConfigureAwait(false);
            }

            if (result.Fault is not null)
            {
                // The coordinator has logged the reason; nothing was computed or changed after it.
                return ExitCodes.Failure;
            }

            if (!result.Completed && cancelWatch.Fired)
            {
                runLog.Warning("Sweep {SweepId} was cancelled after {Units} units; everything computed is in {Store}. Run the same command again to resume.", sweep.Id, result.UnitsComputed, location.Redacted);
                return ExitCodes.Interrupted;
            }

            if (!result.Completed)
            {
                runLog.Warning("Interrupted after {Units} units; everything computed is in {Store}. Run the same command again to resume.", result.UnitsComputed, location.Redacted);
                return ExitCodes.Interrupted;
            }

            if (exports.Failure is not null)
            {
                // Logged where it happened; nothing computed is lost, it is all in the store.
                return exports.ExitCode;
            }

            var audit = await SweepAudits.CheckAsync(store, sweep.Id, CancellationToken.None).ConfigureAwait(false);

            PrintWhereResultsAre(output, sweep.Id, exportDir, format, location);
            var data = await SweepExport.LoadAsync(store, sweep.Id, grid.Loss, CancellationToken.None).ConfigureAwait(false);
            Output.SummaryTable.Write(output, Sweeps.Aggregation.SeedSummaries.Aggregate(data.Cells));
            if (result.FailedUnits > 0)
            {
                runLog.Error("{Failed} units failed for good; see 'sweep status {SweepId}' and rerun with --retry-failed", result.FailedUnits, sweep.Id);
                return ExitCodes.Failure;
            }

            if (audit.NonDeterministicCells > 0)
            {
                runLog.Error("{Message}", SweepAudits.NonDeterminismMessage(audit));
                return ExitCodes.NonDeterministic;
            }

            return ExitCodes.Success;
        }
    }

    private static void PrintWhereResultsAre(TextWriter output, string sweepId, string exportDir, string format, StoreLocation location)
    {
        string storeArg = location.IsPostgres ? string.Empty : $" --store {location.Value}";
        output.WriteLine($"Sweep {sweepId} is complete.");
        output.WriteLine($"  per cell:             {Path.Combine(exportDir, "cells." + format)}");
        output.WriteLine($"  simulation vs theory: {Path.Combine(exportDir, "summary." + format)}  (mean, std over seeds, theory, residual)");
        output.WriteLine($"  run metadata:         {Path.Combine(exportDir, "runs." + format)}");
        output.WriteLine($"  progress and nodes:   ./sweep status {sweepId}{storeArg}");
        output.WriteLine($"  export again:         ./sweep export {sweepId}{storeArg} [--out DIR] [--format {string.Join('|', SweepExporters.All.Select(e => e.Name))}]");
    }

    /// <summary>
    /// Coordinators of another cluster that report to this store now. On a SQLite store another `sweep run` is
    /// already kept out by the lock file, so its reports (node id run-...) are not counted: a run killed a second ago
    /// must not block its own resumption.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RunningCoordinatorsAsync(ISweepStore store, StoreLocation location)
    {
        var members = await store.ListMembersAsync(MemberTable.StaleAfter).ConfigureAwait(false);
        return members
            .Where(m => m.Report.Roles.Contains(SweepNode.CoordinatorRole, StringComparer.Ordinal))
            .Where(m => location.IsPostgres || !m.Report.NodeId.StartsWith(EmbeddedNodeRole + "-", StringComparison.Ordinal))
            .Select(m => m.Report.Address)
            .ToArray();
    }
}
