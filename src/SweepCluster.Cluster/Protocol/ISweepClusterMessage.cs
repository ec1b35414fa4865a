namespace SweepCluster.Cluster.Protocol;

/// <summary>
/// Marks every message that crosses the network or lands in the journal. The serializer of ours
/// (<c>Serialization/SweepMessageSerializer</c>) is bound to this interface, so a type that lacks it fails
/// loudly under <c>serialize-messages = on</c> instead of falling back to Akka's default serializer.
/// </summary>
public interface ISweepClusterMessage;
