using System.CommandLine;
using System.Globalization;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep list`: every sweep of the stores in ./sweeps (or of --store), one line each.</summary>
public static class ListCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var store = new StoreOptions();
        var command = new Command("list", "List every sweep of the stores in ./sweeps (or of the store given with --store or SWEEP_STORE): name (the sweep id other commands take), grid hash, store, state, cells with results/total, when it started (UTC) and how long it has run.");
        store.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.GuardAsync(error, async () =>
        {
            var locations = parse.GetValue(store.Store) is null && parse.GetValue(store.StoreFile) is null && Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable) is not { Length: > 0 }
                ? StoreLocation.AllDefaults()
                : [store.Resolve(parse)];
            if (locations.Count == 0)
            {
                throw new CommandInputException($"no store in ./{StoreLocation.DefaultFolder} (start a sweep with `sweep run GRID`), and none given with --store");
            }

            var rows = new List<string[]>();
            int failures = 0;
            foreach (var location in locations)
            {
                try
                {
                    rows.AddRange(await RowsAsync(location, ct).ConfigureAwait(false));
                }
                catch (Exception e) when (e is StoreLocationException or StoreDamagedException && locations.Count > 1)
                {
                    // One unreadable file in ./sweeps must not hide the sweeps of the others.
                    error.WriteLine($"warning: {e.Message}");
                    failures++;
                }
            }

            Write(output, rows);
            return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static async Task<IReadOnlyList<string[]>> RowsAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        await using var store = await StoreFactory.OpenForReadingAsync(location, cancellationToken).ConfigureAwait(false);
        string shown = location.IsPostgres ? location.Redacted : location.Value;
        var rows = new List<string[]>();
        foreach (var info in await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false))
        {
            var p = await store.GetProgressAsync(info.Id, cancellationToken).ConfigureAwait(false);
            double end = info.FinishedAt ?? info.CancelledAt ?? p.DatabaseTime;
            var c = CultureInfo.InvariantCulture;
            rows.Add(
            [
                info.Id,
                info.GridHash[..Math.Min(12, info.GridHash.Length)],
                shown,
                SweepStates.Of(info, p),
                string.Create(c, $"{p.CellsDone}/{p.CellsTotal}"),
                DateTimeOffset.FromUnixTimeMilliseconds((long)(info.CreatedAt * 1000)).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c),
                EtaText.Format(end - info.CreatedAt),
            ]);
        }

        return rows;
    }

    private static void Write(TextWriter output, List<string[]> rows)
    {
        string[] header = ["NAME", "GRID HASH", "STORE", "STATE", "CELLS", "STARTED (UTC)", "DURATION"];
        if (rows.Count == 0)
        {
            output.WriteLine("no sweeps");
            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
