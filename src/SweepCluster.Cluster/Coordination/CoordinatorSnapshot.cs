using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Coordination;

/// <summary>The last request a worker made and what it was given, so a repeated request gets the same units.</summary>
public sealed record WorkerRequest(string NodeId, long RequestId, IReadOnlyList<UnitTicket> Units);

/// <summary>The whole <see cref="CoordinatorState"/> as plain lists, for Akka.Persistence snapshots.</summary>
public sealed record CoordinatorSnapshot(IReadOnlyList<SweepEntry> Sweeps, IReadOnlyList<UnitEntry> Units, IReadOnlyList<WorkerRequest> LastRequests) : ISweepClusterMessage;
