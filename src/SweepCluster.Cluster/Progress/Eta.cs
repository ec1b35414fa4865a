namespace SweepCluster.Cluster.Progress;

/// <summary>How the two estimates of the time left make one.</summary>
public static class Eta
{
    /// <summary>
    /// The schedule (<see cref="TailSchedule"/>) when there is one: it knows the tail and the cost of what is left.
    /// The rate (<see cref="ThroughputEstimator"/>) until units have been timed.
    /// </summary>
    public static double? Combine(double? byRate, double? bySchedule) => bySchedule ?? byRate;
}
