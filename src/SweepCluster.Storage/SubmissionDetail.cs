namespace SweepCluster.Storage;

/// <summary>What the journal line of a submission says beyond its counts: the grid file it came from, written last.</summary>
public static class SubmissionDetail
{
    public const string GridFileKey = "grid_file";

    /// <summary>The grid file of a sweep_submitted line's detail, or null when the line has none (a store of an older version).</summary>
    public static string? GridFile(string? detail)
    {
        const string marker = " " + GridFileKey + "=";
        int at = detail?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : detail![(at + marker.Length)..];
    }
}
