namespace SweepCluster.Cluster.Progress;

/// <summary>How the two estimates of the time left make one.</summary>
public static class Eta
{
    /// <summary>
    /// The rate (<see cref="ThroughputEstimator"/>) once it is known; the schedule (<see cref="TailSchedule"/>) before.
    /// On the paper's grids the rate was the closer of the two (docs/benchmarks.md, "Two estimates side by side").
    /// </summary>
    public static double? Combine(double? byRate, double? bySchedule) => byRate ?? bySchedule;
}
