using System.CommandLine;
using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Commands;

/// <summary>--store and --store-file, shared by every command that reads or writes a store.</summary>
public sealed class StoreOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        Description = $"The store: a SQLite file (embedded) or postgres://user:password@host:port/db (cluster). Also ${StoreLocation.EnvironmentVariable}. Default for run: ./sweeps/<grid name>.db; for other commands: ./sweeps/<SWEEP>.db when a sweep is named and that file exists, else the only store in ./sweeps.",
    };

    public Option<string?> StoreFile { get; } = new("--store-file")
    {
        Description = "A file holding the store URL, such as a mounted Kubernetes secret (keeps the password off the command line).",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Store);
        command.Add(StoreFile);
    }

    /// <summary>The store of a command about the sweep <paramref name="sweep"/> (null: not named), found the way `run` names it.</summary>
    public StoreLocation Resolve(ParseResult parse, string? sweep) =>
        Resolve(parse, () => StoreLocation.ForSweep(sweep) ?? StoreLocation.SingleDefault());

    public StoreLocation Resolve(ParseResult parse, Func<StoreLocation?>? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return StoreLocation.Resolve(parse.GetValue(Store), parse.GetValue(StoreFile), fallback ?? StoreLocation.SingleDefault);
    }
}
