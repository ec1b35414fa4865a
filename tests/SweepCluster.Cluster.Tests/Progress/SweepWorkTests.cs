using SweepCluster.Cluster.Progress;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Progress;

public class SweepWorkTests
{
    private const double Now = 1000;

    [Fact]
    public void BeforeAnythingFinishesCostIsTheMeasureAndARunningUnitIsCreditedWithItsElapsedShare()
    {
        // At the prior rate a unit of cost 2 / PriorSecondsPerCost takes 2 s; started 1 s ago, it is half done.
        double twoSeconds = 2 / SweepWork.PriorSecondsPerCost;
        var progress = Progress(
            [Tally(UnitKind.Simulation, UnitStates.Leased, cost: twoSeconds), Tally(UnitKind.Simulation, UnitStates.Pending, cost: twoSeconds)],
            [new UnitInFlight(UnitKind.Simulation, twoSeconds, Now - 1)]);

        var work = SweepWork.Estimate(progress);

        Assert.Equal(4.0, work.Total, 12);
        Assert.Equal(1.0, work.Credited, 12);
        Assert.Equal(0.25, work.Fraction, 12);
        Assert.Equal(twoSeconds / 2, work.CreditedCost[(int)UnitKind.Simulation], 6);
    }

    [Fact]
    public void WithSlotsKnownOnlyTheUnitsThatCanBeComputingAreCredited()
    {
        // Two slots, four units in flight: the two handed out first compute, the two claimed ahead wait.
        double tenSeconds = 10 / SweepWork.PriorSecondsPerCost;
        var progress = Progress(
            [Tally(UnitKind.Theory, UnitStates.Leased, cost: 4 * tenSeconds)],
            [
                new UnitInFlight(UnitKind.Theory, tenSeconds, Now - 2),
                new UnitInFlight(UnitKind.Theory, tenSeconds, Now - 1),
                new UnitInFlight(UnitKind.Theory, tenSeconds, Now - 2),
                new UnitInFlight(UnitKind.Theory, tenSeconds, Now - 1),
            ]);

        Assert.Equal(6.0, SweepWork.Estimate(progress).Credited, 9);
        Assert.Equal(4.0, SweepWork.Estimate(progress, slots: 2).Credited, 9);
        Assert.Equal(0.0, SweepWork.Estimate(progress, slots: 0).Credited, 9);
    }

    [Fact]
    public void EachKindIsCalibratedByTheTimeItsOwnFinishedUnitsTook()
    {
        // Simulation took 1 s per 1e9 of cost, theory 10 s per 1e9: the pending theory unit is most of the work
        // although its predicted cost is the same as the finished simulation unit's.
        var progress = Progress(
            [
                Tally(UnitKind.Simulation, UnitStates.Done, cost: 1e9, timedCost: 1e9, timedSeconds: 1),
                Tally(UnitKind.Theory, UnitStates.Done, cost: 1e9, timedCost: 1e9, timedSeconds: 10),
                Tally(UnitKind.Theory, UnitStates.Pending, cost: 1e9),
            ],
            []);

        var work = SweepWork.Estimate(progress);

        Assert.Equal(21.0, work.Total, 9);
        Assert.Equal(11.0, work.Credited, 9);
    }

    [Fact]
    public void AKindWithoutFinishedUnitsBorrowsTheRateOfTheOthers()
    {
        var progress = Progress(
            [
                Tally(UnitKind.Simulation, UnitStates.Done, cost: 1e9, timedCost: 1e9, timedSeconds: 3),
                Tally(UnitKind.Theory, UnitStates.Pending, cost: 2e9),
            ],
            []);

        var work = SweepWork.Estimate(progress);

        Assert.Equal(9.0, work.Total, 9);
        Assert.Equal(3.0, work.Credited, 9);
    }

    [Fact]
    public void AKindWithoutFinishedUnitsIsNeverTakenToBeFasterThanThePrior()
    {
        // Simulation ran at a tenth of the prior's seconds per cost; the pending theory unit is valued at the prior.
        double prior = SweepWork.PriorSecondsPerCost;
        var progress = Progress(
            [
                Tally(UnitKind.Simulation, UnitStates.Done, cost: 1e9, timedCost: 1e9, timedSeconds: 0.1 * prior * 1e9),
                Tally(UnitKind.Theory, UnitStates.Pending, cost: 1e9),
            ],
            []);

        var work = SweepWork.Estimate(progress);

        Assert.Equal(1.1 * prior * 1e9, work.Total, 9);
        Assert.Equal(prior, work.SecondsPerCost[(int)UnitKind.Theory], 15);
    }

    [Fact]
    public void AUnitRunningPastItsPredictionIsNeverCountedAsFinished()
    {
        var progress = Progress(
            [Tally(UnitKind.Theory, UnitStates.Leased, cost: 2e9)],
            [new UnitInFlight(UnitKind.Theory, 2e9, Now - 100)]);

        var work = SweepWork.Estimate(progress);

        Assert.Equal(SweepWork.InFlightCreditCap, work.Fraction, 12);
    }

    [Fact]
    public void FailedUnitsCountAsFinishedAndAnEmptySweepIsComplete()
    {
        var failed = SweepWork.Estimate(Progress([Tally(UnitKind.Simulation, UnitStates.Failed, cost: 1e9)], []));
        var empty = SweepWork.Estimate(Progress([], []));

        Assert.Equal(1.0, failed.Fraction);
        Assert.Equal((1.0, 0.0), (empty.Fraction, empty.Remaining));
    }

    [Fact]
    public void AUnitWithoutAStartTimeGetsNoCredit()
    {
        var progress = Progress(
            [Tally(UnitKind.Simulation, UnitStates.Leased, cost: 1e9)],
            [new UnitInFlight(UnitKind.Simulation, 1e9, StartedAt: null)]);

        Assert.Equal(0.0, SweepWork.Estimate(progress).Credited);
    }

    private static UnitCostTally Tally(UnitKind kind, string state, double cost, double timedCost = 0, double timedSeconds = 0) =>
        new(kind, state, 1, cost, timedCost, timedSeconds);

    private static SweepProgress Progress(IReadOnlyList<UnitCostTally> costs, IReadOnlyList<UnitInFlight> inFlight) =>
        new("s", 0, 0, 0, 0, 0, 0, Now, costs, inFlight, [], []);
}
