namespace SweepCluster.Storage.Schema;

/// <summary>A row of <c>cluster_members</c> with its age computed against the database clock.</summary>
internal sealed class MemberRow
{
    public string Address { get; set; } = "";

    public string NodeId { get; set; } = "";

    public string Roles { get; set; } = "";

    public string Status { get; set; } = "";

    public string Unreachable { get; set; } = "";

    public int Slots { get; set; }

    public int UnitsDone { get; set; }

    public int CellsDone { get; set; }

    public double StartedAt { get; set; }

    public double Age { get; set; }

    // Lists are stored space-separated: neither roles nor Akka addresses contain spaces.
    public static string Join(IReadOnlyList<string> values) => string.Join(' ', values);

    public MemberRecord ToRecord() => new(
        new MemberReport(Address, NodeId, Split(Roles), Status, Split(Unreachable), Slots, UnitsDone, CellsDone),
        StartedAt,
        Age);

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
