namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// The report tests start `sweep run` and a browser; they run on their own, after the parallel tests, so that
/// neither they nor the timing-sensitive end-to-end tests share the cores with the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReportGroup
{
    public const string Name = "Reports";
}
