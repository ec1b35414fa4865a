namespace SweepCluster.Cluster.Workers;

/// <summary>One worker process's identity and limits.</summary>
/// <param name="NodeId">Unique per process (host + pid + a random suffix), used as the lease owner.</param>
/// <param name="Slots">Units computed at once: one per core by default.</param>
/// <param name="SweepId">Work on this sweep only; null = any sweep in the store.</param>
/// <param name="ExitWhenIdle">Stop once no pending or leased unit remains (Kubernetes Jobs, tests).</param>
public sealed record WorkerOptions(string NodeId, int Slots, string? SweepId = null, bool ExitWhenIdle = false)
{
    public static string NewNodeId(string role) =>
        $"{role}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}
