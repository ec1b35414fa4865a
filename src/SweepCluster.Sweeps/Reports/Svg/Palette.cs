namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Series colours: the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies and
/// in greyscale print), without its yellow, which is too light on white.
/// </summary>
public static class Palette
{
    public const string Neutral = "#555555";

    public const string Reference = "#888888";

    public static IReadOnlyList<string> Colours { get; } = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000"];

    /// <summary>The colour of the i-th series; cycles when there are more series than colours.</summary>
    public static string Colour(int index) => Colours[((index % Colours.Count) + Colours.Count) % Colours.Count];
}
