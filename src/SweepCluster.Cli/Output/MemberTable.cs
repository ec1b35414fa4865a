using System.Globalization;
using SweepCluster.Cluster.Membership;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Output;

/// <summary>
/// The cluster's members as `status` shows them, from the reports each node writes into the store: a member is
/// unreachable when another member says so or when its own report has gone stale (killed, frozen or cut off).
/// </summary>
public static class MemberTable
{
    /// <summary>Reports older than this are shown as unreachable: several missed intervals, not one slow write.</summary>
    public static readonly TimeSpan StaleAfter = MemberReporting.Interval * 5;

    /// <summary>A member silent this long has been downed and removed by the others (or the whole cluster is gone).</summary>
    public static readonly TimeSpan GoneAfter = TimeSpan.FromMinutes(1);

    /// <summary>Reports older than this are not shown at all.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    /// <summary>What `status` calls a member: up, unreachable, leaving...</summary>
    public static string StateOf(MemberRecord member, IReadOnlyList<MemberRecord> all)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(all);
        if (member.SecondsSinceRefresh > GoneAfter.TotalSeconds)
        {
            return "gone";
        }

        if (member.SecondsSinceRefresh > StaleAfter.TotalSeconds)
        {
            return "unreachable";
        }

        bool seenUnreachable = all.Any(other =>
            other.SecondsSinceRefresh <= StaleAfter.TotalSeconds && other.Report.Unreachable.Contains(member.Report.Address, StringComparer.Ordinal));
        return seenUnreachable ? "unreachable" : member.Report.Status.ToLowerInvariant();
    }

    public static void Write(TextWriter output, IReadOnlyList<MemberRecord> members, double databaseTime)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(members);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("Cluster members");
        if (members.Count == 0)
        {
            output.WriteLine(string.Create(c, $"  (none: no cluster node has reported to this store in the last {ForgetAfter.TotalMinutes:0} minutes)"));
            return;
        }

        output.WriteLine(string.Create(c, $"  {"address",-36} {"roles",-19} {"state",-12} {"reported",9}  {"slots",5}  {"units",6}  {"cells/s",8}"));
        foreach (var member in members)
        {
            var report = member.Report;

            // A member that lived less than a second has no meaningful rate.
            double uptime = databaseTime - member.SecondsSinceRefresh - member.StartedAt;
            string rate = uptime >= 1 ? (report.CellsDone / uptime).ToString("0.0", c) : "-";
            string roles = string.Join(',', report.Roles);
            output.WriteLine(string.Create(c, $"  {report.Address,-36} {roles,-19} {StateOf(member, members),-12} {member.SecondsSinceRefresh,7:0.0} s  {report.Slots,5}  {report.UnitsDone,6}  {rate,8}"));
        }
    }
}
