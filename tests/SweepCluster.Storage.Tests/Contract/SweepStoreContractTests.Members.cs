namespace SweepCluster.Storage.Tests.Contract;

/// <summary>The members' reports that `status` shows (<c>cluster_members</c>).</summary>
public abstract partial class SweepStoreContractTests
{
    private static MemberReport Member(string address, int unitsDone = 0, string status = "Up", params string[] unreachable) =>
        new(address, "node-" + address[^4..], ["worker"], status, unreachable, 2, unitsDone, unitsDone * 3);

    [Fact]
    public async Task AMemberReportIsListedWithItsRolesStatusAndWork()
    {
        const string Address = "akka.tcp://sweep@10.0.0.7:4053";
        await Store.PublishMemberAsync(new MemberReport(Address, "worker-7", ["coordinator", "worker"], "Up", ["akka.tcp://sweep@10.0.0.8:4053"], 4, 12, 36));

        var member = Assert.Single(await Store.ListMembersAsync(TimeSpan.FromMinutes(10)));

        Assert.Equal(Address, member.Report.Address);
        Assert.Equal("worker-7", member.Report.NodeId);
        Assert.Equal(["coordinator", "worker"], member.Report.Roles);
        Assert.Equal("Up", member.Report.Status);
        Assert.Equal(["akka.tcp://sweep@10.0.0.8:4053"], member.Report.Unreachable);
        Assert.Equal((4, 12, 36), (member.Report.Slots, member.Report.UnitsDone, member.Report.CellsDone));
        Assert.InRange(member.SecondsSinceRefresh, -1, 5);
    }

    [Fact]
    public async Task ARefreshReplacesTheReportButKeepsTheStart()
    {
        const string Address = "akka.tcp://sweep@host:4053";
        await Store.PublishMemberAsync(Member(Address, unitsDone: 1));
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE cluster_members SET started_at = started_at - 100, refreshed_at = refreshed_at - 100 WHERE address = '{Address}'");
        double startedBefore = Assert.Single(await Store.ListMembersAsync(TimeSpan.FromMinutes(10))).StartedAt;

        await Store.PublishMemberAsync(Member(Address, unitsDone: 5, status: "Leaving"));

        var member = Assert.Single(await Store.ListMembersAsync(TimeSpan.FromMinutes(10)));
        Assert.Equal(5, member.Report.UnitsDone);
        Assert.Equal("Leaving", member.Report.Status);
        Assert.Equal(startedBefore, member.StartedAt, 6);
        Assert.InRange(member.SecondsSinceRefresh, -1, 5);
        Assert.Empty(member.Report.Unreachable);
    }

    [Fact]
    public async Task AStaleReportShowsItsAgeAndIsForgottenPastTheWindow()
    {
        const string Stale = "akka.tcp://sweep@stale:4053";
        const string Fresh = "akka.tcp://sweep@fresh:4053";
        await Store.PublishMemberAsync(Member(Stale));
        await Store.PublishMemberAsync(Member(Fresh));

        // A member killed two minutes ago: its row stays, unrefreshed.
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE cluster_members SET refreshed_at = refreshed_at - 120 WHERE address = '{Stale}'");

        var both = await Store.ListMembersAsync(TimeSpan.FromMinutes(10));
        Assert.Equal([Fresh, Stale], both.Select(m => m.Report.Address));
        Assert.InRange(both[1].SecondsSinceRefresh, 115, 130);
        Assert.Equal([Fresh], (await Store.ListMembersAsync(TimeSpan.FromMinutes(1))).Select(m => m.Report.Address));
    }

    [Fact]
    public async Task ARemovedMemberIsNotListedAndReportsADayOldAreDeleted()
    {
        const string Left = "akka.tcp://sweep@left:4053";
        const string Ancient = "akka.tcp://sweep@ancient:4053";
        const string Live = "akka.tcp://sweep@live:4053";
        await Store.PublishMemberAsync(Member(Left));
        await Store.PublishMemberAsync(Member(Ancient));
        await ExecuteBehindTheStoreAsync(Store, $"UPDATE cluster_members SET refreshed_at = refreshed_at - 90000 WHERE address = '{Ancient}'");

        await Store.RemoveMemberAsync(Left);
        await Store.RemoveMemberAsync("akka.tcp://sweep@never-reported:1");
        await Store.PublishMemberAsync(Member(Live));

        Assert.Equal([Live], (await Store.ListMembersAsync(TimeSpan.FromDays(30))).Select(m => m.Report.Address));
    }
}
