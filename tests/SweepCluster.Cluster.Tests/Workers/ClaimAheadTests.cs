using SweepCluster.Cluster.Workers;

namespace SweepCluster.Cluster.Tests.Workers;

public sealed class ClaimAheadTests
{
    private static readonly TimeSpan HalfASecond = TimeSpan.FromSeconds(0.5);

    [Fact]
    public void BeforeAnyUnitIsMeasuredTheConfiguredCountHolds()
    {
        var ahead = new ClaimAhead(slots: 2, floor: 3, HalfASecond);

        Assert.Equal(3, ahead.Units);
        Assert.False(ahead.Grown);
    }

    [Fact]
    public void UnitsOfAMillisecondAreHeldByTheHundredUpToTheCap()
    {
        var ahead = new ClaimAhead(slots: 1, floor: 2, HalfASecond);
        for (int i = 0; i < 50; i++)
        {
            ahead.Computed(0.002);
        }

        // Half a second of 2 ms units on one slot.
        Assert.InRange(ahead.Units, 245, 250);
        Assert.True(ahead.Grown);

        for (int i = 0; i < 50; i++)
        {
            ahead.Computed(0.00001);
        }

        Assert.Equal(ClaimAhead.Cap, ahead.Units);
    }

    [Fact]
    public void TheCountScalesWithTheSlots()
    {
        var one = new ClaimAhead(slots: 1, floor: 2, HalfASecond);
        var four = new ClaimAhead(slots: 4, floor: 2, HalfASecond);
        one.Computed(0.05);
        four.Computed(0.05);

        Assert.Equal((10, 40), (one.Units, four.Units));
    }

    [Fact]
    public void UnitsOfSecondsKeepTheConfiguredCountAndExpensiveUnitsShrinkAGrownOneWithinAFewUnits()
    {
        var ahead = new ClaimAhead(slots: 2, floor: 2, HalfASecond);
        for (int i = 0; i < 20; i++)
        {
            ahead.Computed(0.001);
        }

        Assert.True(ahead.Grown);
        for (int i = 0; i < 20; i++)
        {
            ahead.Computed(3.0);
        }

        Assert.Equal(2, ahead.Units);
        Assert.False(ahead.Grown);
    }

    [Fact]
    public void AZeroHorizonKeepsTheConfiguredCount()
    {
        var ahead = new ClaimAhead(slots: 4, floor: 2, TimeSpan.Zero);
        ahead.Computed(0.0001);

        Assert.Equal(2, ahead.Units);
    }
}
