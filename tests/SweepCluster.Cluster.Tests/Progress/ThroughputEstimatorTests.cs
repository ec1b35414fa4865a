using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cluster.Tests.Progress;

public class ThroughputEstimatorTests
{
    [Fact]
    public void RateIsCellsOverTimeWithinTheWindow()
    {
        var e = new ThroughputEstimator(windowSeconds: 60);
        e.Add(100, 0);
        e.Add(110, 50);
        Assert.Equal(5.0, e.PerSecond, 12);
        Assert.Equal(20.0, e.EtaSeconds(100)!.Value, 12);
    }

    [Fact]
    public void OldSamplesLeaveTheWindowSoTheRateFollowsRecentSpeed()
    {
        var e = new ThroughputEstimator(windowSeconds: 10);
        e.Add(0, 0);
        e.Add(5, 500);
        e.Add(20, 510);
        e.Add(25, 520);
        Assert.Equal(2.0, e.PerSecond, 12);
    }

    [Fact]
    public void WithoutProgressTheEtaIsUnknownAndWithNothingLeftItIsZero()
    {
        var e = new ThroughputEstimator();
        e.Add(0, 10);
        Assert.Null(e.EtaSeconds(5));
        Assert.Equal(0.0, e.EtaSeconds(0));
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData(0.2, "0 s")]
    [InlineData(42.0, "42 s")]
    [InlineData(600.0, "10 min")]
    [InlineData(10800.0, "3.0 h")]
    public void EtaIsFormattedForPeople(double? seconds, string expected) => Assert.Equal(expected, EtaText.Format(seconds));
}
