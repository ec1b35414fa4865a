namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// How the coordinator tells its process that it cannot run here at all, as when its journal holds entries a newer
/// version wrote. Restarting it (what the supervisor does for a database that went away) would only fail again, so
/// the process ends with the reason instead of retrying forever.
/// </summary>
public sealed class CoordinatorFault
{
    private readonly TaskCompletionSource<string> _reason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the reason, once, when the coordinator cannot go on.</summary>
    public Task<string> Reported => _reason.Task;

    public void Report(string reason) => _reason.TrySetResult(reason);
}
