using SweepCluster.Cluster.Settings;

namespace SweepCluster.Cluster.Tests.Settings;

public class ClusterSettingsTests
{
    [Fact]
    public void RetryDelayDoublesPerAttemptUpToTheCap()
    {
        var s = new ClusterSettings { RetryBackoff = TimeSpan.FromSeconds(1), RetryBackoffCap = TimeSpan.FromSeconds(5) };
        Assert.Equal(new[] { 1.0, 2.0, 4.0, 5.0, 5.0 }, Enumerable.Range(1, 5).Select(a => s.Retry.Delay(a).TotalSeconds));
    }

    [Fact]
    public void AHeartbeatLongerThanHalfTheSilenceTimeoutIsRejected()
    {
        var s = new ClusterSettings { UnitSilenceTimeout = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(6) };
        Assert.Contains(s.Validate(), e => e.Contains("heartbeat", StringComparison.Ordinal));
        Assert.Empty(new ClusterSettings().Validate());
    }

    [Fact]
    public void ANegativeClaimAheadIsRejectedAndZeroIsAllowed()
    {
        Assert.Contains(new ClusterSettings { ClaimAhead = -1 }.Validate(), e => e.Contains("claim ahead", StringComparison.Ordinal));
        Assert.Empty(new ClusterSettings { ClaimAhead = 0 }.Validate());
    }

    [Fact]
    public void ANegativeClaimAheadTimeIsRejectedAndZeroIsAllowed()
    {
        Assert.Contains(new ClusterSettings { ClaimAheadTime = TimeSpan.FromSeconds(-1) }.Validate(), e => e.Contains("claim-ahead time", StringComparison.Ordinal));
        Assert.Empty(new ClusterSettings { ClaimAheadTime = TimeSpan.Zero }.Validate());
    }
}
