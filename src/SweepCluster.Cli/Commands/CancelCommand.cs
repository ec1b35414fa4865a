using System.CommandLine;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep cancel [SWEEP]`: marks a sweep cancelled in its store; running coordinators and `sweep run` honour it.</summary>
public static class CancelCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id (the grid name). Optional when the store holds one sweep.", Arity = ArgumentArity.ZeroOrOne };
        var store = new StoreOptions();
        var command = new Command("cancel", "Cancel a sweep: no more of its units are handed out (a running `sweep run` stops after its units in flight, a cluster's coordinator at its next look at the store, within a few seconds); what was computed stays. `sweep run GRID` or `sweep submit GRID` of the same grid resumes it.")
        {
            sweep,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var location = store.Resolve(parse, parse.GetValue(sweep));
            var (s, info) = await ManagedStore.OpenAsync(location, parse.GetValue(sweep), ct).ConfigureAwait(false);
            await using (s.ConfigureAwait(false))
            {
                if (info.Finished)
                {
                    output.WriteLine($"Sweep {info.Id} is already finished; nothing to cancel (`sweep delete {info.Id}` removes it).");
                    return ExitCodes.Success;
                }

                bool cancelled = await s.CancelSweepAsync(info.Id, ct).ConfigureAwait(false);
                output.WriteLine(cancelled
                    ? $"Cancelled sweep {info.Id} in {s.Description}: no more of its units are handed out; units in flight finish and are kept. `sweep run GRID` or `sweep submit GRID` resumes it."
                    : $"Sweep {info.Id} was already cancelled.");
                return ExitCodes.Success;
            }
        }));
        return command;
    }
}
