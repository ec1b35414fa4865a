using SweepCluster.Cli.Output;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Tests.Commands;

public class MemberTableTests
{
    private const string A = "akka.tcp://sweep@10.0.0.1:4053";
    private const string B = "akka.tcp://sweep@10.0.0.2:4053";

    private static MemberRecord Member(string address, double age, string status = "Up", params string[] unreachable) =>
        new(new MemberReport(address, "n-" + address[^6..], ["worker"], status, unreachable, 2, 10, 30), StartedAt: 1000, SecondsSinceRefresh: age);

    [Fact]
    public void AFreshReportShowsTheMembersOwnStatus()
    {
        var a = Member(A, 0.5, "Leaving");
        Assert.Equal("leaving", MemberTable.StateOf(a, [a, Member(B, 0.2)]));
    }

    [Fact]
    public void AMemberAnotherFindsUnreachableIsUnreachableThoughItStillReports()
    {
        var a = Member(A, 0.5);
        var b = Member(B, 0.5, "Up", A);
        Assert.Equal("unreachable", MemberTable.StateOf(a, [a, b]));
        Assert.Equal("up", MemberTable.StateOf(b, [a, b]));
    }

    [Fact]
    public void OnlyFreshReportsCountAsWitnesses()
    {
        var a = Member(A, 0.5);
        var staleWitness = Member(B, MemberTable.StaleAfter.TotalSeconds + 1, "Up", A);
        Assert.Equal("up", MemberTable.StateOf(a, [a, staleWitness]));
    }

    [Theory]
    [InlineData(4.9, "up")]
    [InlineData(5.1, "unreachable")]
    [InlineData(59, "unreachable")]
    [InlineData(61, "gone")]
    public void AStaleReportIsUnreachableThenGone(double age, string expected)
    {
        var a = Member(A, age);
        Assert.Equal(expected, MemberTable.StateOf(a, [a]));
    }

    [Fact]
    public void TheTableShowsEveryMemberWithItsRate()
    {
        var output = new StringWriter();
        MemberTable.Write(output, [Member(A, 0.5), Member(B, 0.5, "Up", A)], databaseTime: 1010.5);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Cluster members", lines[0]);
        Assert.Contains(A, lines[2], StringComparison.Ordinal);
        Assert.Contains(" unreachable ", lines[2], StringComparison.Ordinal);

        // 30 cells over the 10 s between the first and the last report.
        Assert.EndsWith(" 3.0", lines[2].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(" up ", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void NoReportSaysNoClusterRuns()
    {
        var output = new StringWriter();
        MemberTable.Write(output, [], databaseTime: 0);
        Assert.Contains("no cluster node has reported", output.ToString(), StringComparison.Ordinal);
    }
}
