using System.CommandLine;
using SweepCluster.Cli.Stores;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep submit GRID`: validates a grid and writes its sweep, cells and units to the store; prints the sweep id.</summary>
public static class SubmitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var grid = new Argument<string>("GRID") { Description = "The grid file (YAML; see docs/grid-format.md)." };
        var store = new StoreOptions();
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Also put the sweep's failed units back in the queue." };
        var set = GridLoading.CreateSetOption();
        var command = new Command("submit", "Validate a grid and write its sweep, cells and units to the store (idempotent; an edited grid adds only its new cells). Prints the sweep id; workers then compute it.")
        {
            grid, retryFailed, set,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var loaded = GridLoading.TryLoad(parse.GetValue(grid)!, parse.GetValue(set) ?? [], error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            var location = store.Resolve(parse, () => new StoreLocation(false, Path.Combine("sweeps", loaded.Name + ".db")));
            await using var s = await StoreFactory.OpenAsync(location, migrate: true, ct).ConfigureAwait(false);
            var sweep = GridExpander.Source(loaded);
            if (parse.GetValue(retryFailed))
            {
                int requeued = await s.RetryFailedAsync(sweep.Id, ct).ConfigureAwait(false);
                error.WriteLine($"re-queued {requeued} failed units");
            }

            var outcome = await s.SubmitAsync(sweep, ct).ConfigureAwait(false);
            if (await s.ResumeSweepAsync(sweep.Id, ct).ConfigureAwait(false))
            {
                error.WriteLine($"sweep {sweep.Id} was cancelled; submitting it again resumes it");
            }

            error.WriteLine($"sweep {sweep.Id}: {outcome.Cells} cells ({outcome.CompletedCells} already computed), {outcome.PlannedUnits} units to compute ({outcome.NewUnits} new) in {location.Redacted}");
            output.WriteLine(sweep.Id);
            return ExitCodes.Success;
        }));
        return command;
    }
}
