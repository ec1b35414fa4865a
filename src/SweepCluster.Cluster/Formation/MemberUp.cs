namespace SweepCluster.Cluster.Formation;

/// <summary>Waits for this node to become Up in its cluster.</summary>
internal static class MemberUp
{
    /// <summary>True when Up within <paramref name="timeout"/>, false otherwise.</summary>
    public static async Task<bool> WaitAsync(Akka.Cluster.Cluster cluster, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up)
        {
            return true;
        }

        var finished = await Task.WhenAny(up.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return finished == up.Task;
    }
}
