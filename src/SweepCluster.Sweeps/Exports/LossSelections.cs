namespace SweepCluster.Sweeps.Exports;

/// <summary>The one place where loss selections become text ("eps", "data", "both") and back, and are applied.</summary>
public static class LossSelections
{
    private const string EpsPrefix = "eps_";
    private const string DataPrefix = "data_";

    public static string ToName(LossSelection selection) => selection switch
    {
        LossSelection.Both => "both",
        LossSelection.Eps => "eps",
        LossSelection.Data => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "unknown loss selection"),
    };

    public static LossSelection Parse(string name) => name switch
    {
        "both" => LossSelection.Both,
        "eps" => LossSelection.Eps,
        "data" => LossSelection.Data,
        _ => throw new FormatException($"unknown loss selection '{name}' (expected eps, data or both)"),
    };

    /// <summary>Whether a metric (by name, e.g. "data_test_tavg") is exported under this selection.</summary>
    public static bool Includes(LossSelection selection, string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return selection switch
        {
            LossSelection.Eps => !metric.StartsWith(DataPrefix, StringComparison.Ordinal),
            LossSelection.Data => !metric.StartsWith(EpsPrefix, StringComparison.Ordinal),
            _ => true,
        };
    }
}
