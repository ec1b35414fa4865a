namespace SweepCluster.Cluster.Progress;

/// <summary>Remaining time in the unit a person reads at a glance.</summary>
public static class EtaText
{
    public static string Format(double? seconds) => seconds switch
    {
        null => "unknown",
        < 1 => "0 s",
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.0} h",
    };
}
