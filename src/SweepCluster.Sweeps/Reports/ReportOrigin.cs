namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// Where a report was made, so that a figure in a paper can be traced back to the code and the data behind it.
/// The caller gathers it (the numerics stay free of environment look-ups).
/// </summary>
/// <param name="ToolVersion">The version of the program that made the report, with its commit when the build knew it.</param>
/// <param name="Store">The store's description (never its password).</param>
/// <param name="HostName">The machine's host name.</param>
/// <param name="Cores">The machine's logical processor count.</param>
/// <param name="OperatingSystem">The operating system's description.</param>
public sealed record ReportOrigin(string ToolVersion, string Store, string HostName, int Cores, string OperatingSystem)
{
    /// <summary>The machine in one line: "host (8 cores, Linux 6.1)".</summary>
    public string Machine => FormattableString.Invariant($"{HostName} ({Cores} cores, {OperatingSystem})");
}
