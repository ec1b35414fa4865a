using SweepCluster.Cluster.Progress;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Progress;

public class TailScheduleTests
{
    private const double Now = 1000;

    // One second per unit of cost, no set-up.
    private static readonly UnitComputeSums OneSecondPerCost = UnitTimeModelTests.Sums(UnitKind.Simulation, (1, 1), (2, 2), (3, 3));

    [Fact]
    public void PendingUnitsGoMostExpensiveFirstToTheSlotThatFreesUpFirst()
    {
        // 3, 3, 2, 2, 2 on two slots: {3, 2, 2} and {3, 2}, so 7 s, where work over slots would say 6 s.
        var progress = Progress([], [Group(3, 2), Group(2, 3)]);

        Assert.Equal(7.0, TailSchedule.RemainingSeconds(progress, slots: 2)!.Value, 12);
        Assert.Equal(12.0, TailSchedule.RemainingSeconds(progress, slots: 1)!.Value, 12);
    }

    [Fact]
    public void OneLongUnitLeftIsTheFloorWhateverTheSlots()
    {
        // A 10 s unit started 4 s ago and a few short ones: the long one ends last.
        var progress = Progress([new UnitInFlight(UnitKind.Simulation, 10, Now - 4)], [Group(1, 3)]);

        Assert.Equal(6.0, TailSchedule.RemainingSeconds(progress, slots: 4)!.Value, 12);
    }

    [Fact]
    public void PendingUnitsBeyondTheListedGroupsCountAtTheirMeanCost()
    {
        // The listing stops after the first group; the tally holds 4 more units of total cost 4.
        var progress = Progress(
            [],
            [Group(2, 2)],
            [new UnitCostTally(UnitKind.Simulation, UnitStates.Pending, 6, 8, 0, 0)]);

        Assert.Equal(4.0, TailSchedule.RemainingSeconds(progress, slots: 2)!.Value, 12);
    }

    [Fact]
    public void NothingTimedYetGivesNoEstimate()
    {
        var progress = Progress([], [Group(1, 1)]) with { ComputeTimes = [] };

        Assert.Null(TailSchedule.RemainingSeconds(progress, slots: 2));
    }

    private static UnitCostGroup Group(double cost, int units) => new(UnitKind.Simulation, cost, units);

    private static SweepProgress Progress(IReadOnlyList<UnitInFlight> inFlight, IReadOnlyList<UnitCostGroup> pending, IReadOnlyList<UnitCostTally>? costs = null) =>
        new("s", 0, 0, 0, 0, 0, 0, Now, costs ?? [.. pending.Select(g => new UnitCostTally(g.Kind, UnitStates.Pending, g.Units, g.Cost * g.Units, 0, 0))], inFlight, [OneSecondPerCost], pending);
}
