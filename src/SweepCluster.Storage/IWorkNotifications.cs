namespace SweepCluster.Storage;

/// <summary>
/// Implemented by stores that can wake idle workers when work appears (PostgreSQL LISTEN/NOTIFY), so
/// that workers need not poll often. Polling stays the fallback: a missed notification only delays.
/// </summary>
public interface IWorkNotifications
{
    /// <summary>Returns true when work was announced, false on timeout.</summary>
    Task<bool> WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
