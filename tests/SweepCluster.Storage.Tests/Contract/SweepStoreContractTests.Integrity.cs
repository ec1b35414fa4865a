using SweepCluster.Storage.Tests.Support;

namespace SweepCluster.Storage.Tests.Contract;

/// <summary>The store's self-checks (issue 12): damage and non-determinism must never pass for a finished sweep.</summary>
public abstract partial class SweepStoreContractTests
{
    [Fact]
    public async Task AMigratedStoreChecksSoundAndAFinishedSweepAuditsClean()
    {
        var units = await SubmitAsync("s1", 1.0, 2.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 1.0));

        Assert.Equal(StoreCheckStatus.Sound, (await Store.CheckAsync()).Status);

        // The second unit is still pending: its cells lack results, as they should.
        Assert.Equal(new SweepAudit("s1", 0, 0), await Store.AuditSweepAsync("s1"));
    }

    [Fact]
    public async Task AResultLostBehindTheStoreIsFoundByTheAudit()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 1.0));
        string cell = units[0].CellIds.Order(StringComparer.Ordinal).First();

        await ExecuteBehindTheStoreAsync(Store, $"DELETE FROM results WHERE cell_id = '{cell}'");

        // Progress alone still calls it complete: every unit is done. The audit is what tells.
        Assert.True((await Store.GetProgressAsync("s1")).IsComplete);
        Assert.Equal(1, (await Store.AuditSweepAsync("s1")).LostCells);
    }

    [Fact]
    public async Task TheAuditCountsEachNonDeterministicCellOnce()
    {
        var units = await SubmitAsync("s1", 1.0);
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeA, 1), Some.Results(units[0], loss: 1.0));
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 2), Some.Results(units[0], loss: 2.0));
        await Store.CommitUnitAsync(new UnitLease(units[0].Id, NodeB, 3), Some.Results(units[0], loss: 3.0));

        Assert.Equal(new SweepAudit("s1", 0, units[0].CellIds.Count), await Store.AuditSweepAsync("s1"));
    }

    [Fact]
    public async Task AnAuditOfAnUnknownSweepIsAnError() =>
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AuditSweepAsync("nope"));
}
