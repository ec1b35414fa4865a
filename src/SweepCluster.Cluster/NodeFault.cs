namespace SweepCluster.Cluster;

/// <summary>
/// How a node's actors tell their process that it cannot go on here at all: the coordinator's journal holds entries
/// a newer version wrote, or the store's disk is full. Restarting (what the supervisor does for a database that went
/// away) would only fail again, so the process ends with the reason instead of retrying forever.
/// </summary>
public sealed class NodeFault
{
    private readonly TaskCompletionSource<string> _reason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the first reason reported.</summary>
    public Task<string> Reported => _reason.Task;

    /// <summary>Reports <paramref name="reason"/>; true for the first report, which the caller logs (later ones repeat it).</summary>
    public bool Report(string reason) => _reason.TrySetResult(reason);
}
