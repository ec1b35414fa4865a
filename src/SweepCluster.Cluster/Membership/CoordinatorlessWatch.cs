using Serilog;

namespace SweepCluster.Cluster.Membership;

/// <summary>
/// Makes a worker leave a cluster that has had no coordinator for too long, so that it can join the one the
/// coordinators are in. That happens when every coordinator died at once and came back on the same seed addresses
/// (both coordinator pods restarted together): the first seed found no other seed answering and founded a new
/// cluster, while the workers stayed members of the old one, which no seed leads back to and where no singleton can
/// run. Leaving ends this node's membership; the worker then rejoins through the seeds as a new member (as after
/// being downed) and finds the coordinators.
/// </summary>
public static class CoordinatorlessWatch
{
    /// <summary>
    /// Far longer than a singleton hand-over (seconds) or one coordinator's restart in a rolling update (the other one
    /// stays), far shorter than anyone would wait for a stuck sweep.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Watches until cancelled; leaves the cluster once no coordinator has been Up for <paramref name="timeout"/>.</summary>
    public static async Task RunAsync(Akka.Cluster.Cluster cluster, TimeSpan timeout, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(log);
        var lastSeen = DateTime.UtcNow;
        var check = TimeSpan.FromSeconds(Math.Clamp(timeout.TotalSeconds / 10, 0.1, 1));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(check, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (ClusterView.Of(cluster).CoordinatorsUp > 0)
            {
                lastSeen = DateTime.UtcNow;
                continue;
            }

            if (DateTime.UtcNow - lastSeen > timeout)
            {
                log.Warning(
                    "No coordinator has been a member of this cluster for {Seconds:0} s: the coordinators are in another cluster (they all restarted at once); leaving to rejoin through the seeds",
                    timeout.TotalSeconds);
                cluster.Leave(cluster.SelfAddress);
                return;
            }
        }
    }
}
