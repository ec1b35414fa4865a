using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps.Grids;

/// <summary>A 1-based line and column in a grid file.</summary>
internal readonly record struct GridLocation(int Line, int Column)
{
    public static GridLocation FileStart { get; } = new(1, 1);

    public static GridLocation Of(Mark mark) => new(ToInt(mark.Line), ToInt(mark.Column));

    public static GridLocation Of(YamlNode node) => Of(node.Start);

    // Marks are 0 when YamlDotNet has no position (an empty stream); a message at 1:1 is still useful.
    private static int ToInt(long value) => value < 1 ? 1 : value > int.MaxValue ? int.MaxValue : (int)value;
}
