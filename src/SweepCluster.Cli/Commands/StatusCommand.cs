using System.CommandLine;
using System.Globalization;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep status [SWEEP] [--json] [--watch [--interval S]]`: progress of a sweep and the members of the cluster working on the store.</summary>
public static class StatusCommand
{
    public const double MaxIntervalSeconds = 3600;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("SWEEP") { Description = "The sweep id (the grid name). Optional when the store holds one sweep; with several stores in ./sweeps, ./sweeps/SWEEP.db is used.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "One JSON object (schema in README.md, \"status --json\") instead of text; with --watch, one object per line and interval." };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the status until the sweep is complete, failed or cancelled (or Ctrl-C): refreshed in place on a terminal, one line per interval otherwise." };
        var interval = new Option<double>("--interval") { Description = $"Seconds between refreshes of --watch, 0.1 to {MaxIntervalSeconds:0}.", DefaultValueFactory = _ => 2 };
        var store = new StoreOptions();
        var command = new Command("status", "Show a sweep's progress (done, failed, pending, in flight, throughput, ETA, state: running, waiting, complete, failed or cancelled) and the cluster's members (address, roles, up or unreachable, slots, units done, cells/s) as they last reported to the store.")
        {
            sweep, json, watch, interval,
        };
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, () =>
        {
            double seconds = parse.GetValue(interval);
            if (!(seconds >= 0.1 && seconds <= MaxIntervalSeconds))
            {
                throw new CommandInputException(string.Create(CultureInfo.InvariantCulture, $"--interval: {seconds} is out of range; give seconds from 0.1 to {MaxIntervalSeconds:0}"));
            }

            var view = new StatusView(output, parse.GetValue(json), parse.GetValue(watch), TimeSpan.FromSeconds(seconds));
            return ExecuteAsync(parse.GetValue(sweep), store.Resolve(parse, parse.GetValue(sweep)), view, ct);
        }));
        return command;
    }

    private static async Task<int> ExecuteAsync(string? requested, StoreLocation location, StatusView view, CancellationToken cancellationToken)
    {
        await using var store = await StoreFactory.OpenForReadingAsync(location, cancellationToken).ConfigureAwait(false);
        string sweepId = await SweepSelection.ResolveAsync(store, requested, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var status = await SweepStatus.ReadAsync(store, sweepId, cancellationToken).ConfigureAwait(false);
            view.Show(status);
            if (!view.Watching || SweepStates.HasEnded(status.State))
            {
                return ExitCodes.Success;
            }

            await Task.Delay(view.Interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
