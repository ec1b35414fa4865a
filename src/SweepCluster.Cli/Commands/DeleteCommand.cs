using System.CommandLine;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep delete [SWEEP] [--yes]`: removes a sweep from its store, keeping the cells other sweeps share.</summary>
public static class DeleteCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id (the grid name). Optional when the store holds one sweep.", Arity = ArgumentArity.ZeroOrOne };
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking (for scripts). Without it, delete asks on the terminal, and refuses (exit code 2) when there is no terminal." };
        var store = new StoreOptions();
        var command = new Command("delete", "Delete a sweep from its store: its units, and its cells with their results unless another sweep of the store shares them (cells are shared by id; those stay, with their results). Asks for confirmation unless --yes. Refused while the sweep runs: cancel it first. Export files are not touched.")
        {
            sweep, yes,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var location = store.Resolve(parse, parse.GetValue(sweep));
            var (s, info) = await ManagedStore.OpenAsync(location, parse.GetValue(sweep), ct).ConfigureAwait(false);
            await using (s.ConfigureAwait(false))
            {
                // A `sweep run` on a SQLite store holds its lock file for as long as it runs.
                using var runLock = location.IsPostgres ? null : EmbeddedRunLock.TryTake(location.Value);
                var progress = await s.GetProgressAsync(info.Id, ct).ConfigureAwait(false);
                var live = await s.ListMembersAsync(MemberTable.StaleAfter, ct).ConfigureAwait(false);
                if ((!location.IsPostgres && runLock is null) || (progress.UnitsLeased > 0 && !info.Cancelled && live.Count > 0))
                {
                    throw new CommandInputException($"sweep {info.Id} is running on {s.Description}; cancel it first (`sweep cancel {info.Id}`) and delete it once its run has stopped");
                }

                if (!parse.GetValue(yes) && !Confirmed(info.Id, progress.CellsTotal, s.Description, output))
                {
                    output.WriteLine($"Nothing deleted; sweep {info.Id} is kept.");
                    return ExitCodes.Failure;
                }

                var deleted = await s.DeleteSweepAsync(info.Id, ct).ConfigureAwait(false);
                output.WriteLine($"Deleted sweep {info.Id} from {s.Description}: {deleted.CellsDeleted} cells with their results and {deleted.UnitsDeleted} units; {deleted.CellsKept} cells shared with other sweeps were kept (with the {deleted.UnitsMoved} units that computed them, now listed under those sweeps).");
                return ExitCodes.Success;
            }
        }));
        return command;
    }

    private static bool Confirmed(string sweepId, int cells, string store, TextWriter output)
    {
        if (Console.IsInputRedirected)
        {
            throw new CommandInputException($"--yes: no terminal to confirm the deletion of sweep {sweepId} on; pass --yes to delete without asking");
        }

        output.Write($"Delete sweep {sweepId} ({cells} cells; those other sweeps share are kept) from {store}? [y/N] ");
        output.Flush();
        return Console.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
