using Akka.Persistence;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// Recovers an empty persistence id once when a coordinator-role node starts, then stops. The journal and snapshot
/// plugins open their connections and compile their queries on first use, which took a second or two of the
/// failover; a standby pays that at start-up instead, before it is needed. It reads only: it never persists.
/// </summary>
public sealed class JournalWarmUp : ReceivePersistentActor
{
    public JournalWarmUp(string nodeAddress)
    {
        PersistenceId = "warm-up-" + nodeAddress;
        Recover<RecoveryCompleted>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }
}
