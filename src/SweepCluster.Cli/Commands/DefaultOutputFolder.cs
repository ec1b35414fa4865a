using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// Where `export` and `report` write when --out is not given: the folder `run` writes its exports to, so that the
/// results of a sweep sit in one place (./sweeps/&lt;sweep&gt;/ beside ./sweeps/&lt;sweep&gt;.db). A PostgreSQL store
/// has no folder of its own, so its sweeps go under the current directory.
/// </summary>
public static class DefaultOutputFolder
{
    /// <summary>The sweep's folder beside the store (SQLite) or in the current directory (PostgreSQL).</summary>
    public static string For(StoreLocation location, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(location);
        string parent = location.IsPostgres ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(location.Value))!;
        return Path.Combine(parent, sweepId);
    }

    /// <summary>The folder given with --out, or <paramref name="fallback"/> (named in the message of a folder that cannot be written).</summary>
    public static string Choose(string? option, string fallback) =>
        option is not null ? OutputFolder.EnsureWritable(option, "--out") : OutputFolder.EnsureWritable(fallback, "the default output folder (choose another with --out)");
}
