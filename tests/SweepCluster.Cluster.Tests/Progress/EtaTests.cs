using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cluster.Tests.Progress;

public class EtaTests
{
    [Fact]
    public void TheRateWinsOnceKnownAndTheScheduleStandsInBefore()
    {
        Assert.Equal(10.0, Eta.Combine(10.0, 20.0));
        Assert.Equal(20.0, Eta.Combine(null, 20.0));
        Assert.Null(Eta.Combine(null, null));
    }
}
