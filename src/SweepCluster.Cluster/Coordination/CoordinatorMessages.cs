namespace SweepCluster.Cluster.Coordination;

/// <summary>Messages the coordinator handles.</summary>
public interface ICoordinatorMessage;

/// <summary>Read progress from the store, log it, notice expired leases and dead nodes, finish sweeps.</summary>
public sealed record AggregateProgress : ICoordinatorMessage
{
    public static readonly AggregateProgress Instance = new();
}

/// <summary>Stop watching.</summary>
public sealed record StopCoordinator : ICoordinatorMessage
{
    public static readonly StopCoordinator Instance = new();
}
