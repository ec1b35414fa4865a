using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cluster.Tests.Progress;

public class ThroughputEstimatorTests
{
    [Fact]
    public void RateIsCellsOverTimeWithinTheWindow()
    {
        var e = new ThroughputEstimator(windowSeconds: 60);
        e.Add(100, 10);
        e.Add(110, 60);
        Assert.Equal(5.0, e.PerSecond, 12);
        Assert.Equal(20.0, e.EtaSeconds(100)!.Value, 12);
    }

    [Fact]
    public void TheStartBeforeAnythingIsDoneIsNotPartOfTheRate()
    {
        var e = new ThroughputEstimator(windowSeconds: 60);
        e.Add(0, 0);
        e.Add(1, 0);
        Assert.Null(e.EtaSeconds(100));
        e.Add(2, 1);
        e.Add(4, 11);
        Assert.Equal(5.0, e.PerSecond, 12);
    }

    [Fact]
    public void OldSamplesLeaveTheWindowSoTheRateFollowsRecentSpeed()
    {
        var e = new ThroughputEstimator(windowSeconds: 10);
        e.Add(0, 1);
        e.Add(5, 500);
        e.Add(20, 510);
        e.Add(25, 520);
        Assert.Equal(2.0, e.PerSecond, 12);
    }

    [Fact]
    public void PartsAreValuedAtTheWeightsOfTheLastReadSoAChangedCalibrationIsNotReadAsSpeed()
    {
        var e = new ThroughputEstimator();
        e.Add(0, [10.0, 0.0]);
        e.Add(10, [30.0, 5.0]);
        Assert.Equal(2.5, e.PerSecond, 12);
        Assert.Equal((20.0 + (5.0 * 4)) / 10, e.WeightedPerSecond(i => i == 0 ? 1 : 4), 12);
        Assert.Equal(50.0 / 4.0, e.EtaSeconds(50, i => i == 0 ? 1 : 4)!.Value, 12);
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
