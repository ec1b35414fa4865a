using SweepCluster.Cluster.Progress;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Progress;

public class UnitTimeModelTests
{
    [Fact]
    public void ALineThroughTimedUnitsRecoversTheirSetUpAndTheirRatePerCost()
    {
        // Units of cost 1, 2 and 4 that took 0.5 + 0.25 c seconds.
        var model = UnitTimeModel.Fit([Sums(UnitKind.Simulation, (1, 0.75), (2, 1.0), (4, 1.5))]);

        Assert.Equal(0.5 + 0.25 * 10, model.Seconds(UnitKind.Simulation, 10), 12);
    }

    [Fact]
    public void UnitsOfOneCostGiveTimeProportionalToCost()
    {
        var model = UnitTimeModel.Fit([Sums(UnitKind.Theory, (3, 2.0), (3, 4.0), (3, 3.0))]);

        Assert.Equal(6.0, model.Seconds(UnitKind.Theory, 6), 12);
    }

    [Fact]
    public void TimeFallingWithCostIsTakenAsNoCostDependence()
    {
        // A warming JIT: the expensive units came first and ran slowest per cost.
        var model = UnitTimeModel.Fit([Sums(UnitKind.Simulation, (4, 1.0), (2, 2.0), (1, 3.0))]);

        Assert.Equal(2.0, model.Seconds(UnitKind.Simulation, 100), 12);
    }

    [Fact]
    public void ANegativeInterceptFallsBackToALineThroughTheOrigin()
    {
        // 0.1 s at cost 1, 3.1 s twice at cost 4: the best line is t = c - 0.9; through the origin the slope is
        // sum(c t) / sum(c c) = (0.1 + 2 * 12.4) / 33.
        var model = UnitTimeModel.Fit([Sums(UnitKind.Simulation, (1, 0.1), (4, 3.1), (4, 3.1))]);

        Assert.Equal((0.1 + 3.1 * 4 * 2) / 33 * 2, model.Seconds(UnitKind.Simulation, 2), 12);
    }

    [Fact]
    public void AKindWithTooFewUnitsBorrowsTheSlowestLine()
    {
        var model = UnitTimeModel.Fit([
            Sums(UnitKind.Theory, (1, 1.0), (1, 1.0), (1, 1.0)),
            Sums(UnitKind.Simulation, (1, 5.0), (1, 5.0)),
        ]);

        Assert.Equal(2.0, model.Seconds(UnitKind.Simulation, 2), 12);
        Assert.False(model.IsEmpty);
        Assert.True(UnitTimeModel.Fit([Sums(UnitKind.Simulation, (1, 5.0))]).IsEmpty);
        Assert.Throws<InvalidOperationException>(() => UnitTimeModel.Fit([]).Seconds(UnitKind.Theory, 1));
    }

    internal static UnitComputeSums Sums(UnitKind kind, params (double Cost, double Seconds)[] units) =>
        new(kind, units.Length, units.Sum(u => u.Cost), units.Sum(u => u.Seconds), units.Sum(u => u.Cost * u.Cost), units.Sum(u => u.Cost * u.Seconds));
}
