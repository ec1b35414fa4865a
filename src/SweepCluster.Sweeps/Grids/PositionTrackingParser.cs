using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// A YAML parser that remembers where the last good event ended. Some malformed input (an unclosed flow
/// sequence at the end of a line) makes YamlDotNet throw without a position; this gives the error one.
/// </summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    public ParsingEvent? Current => inner.Current;

    public GridLocation LastGood { get; private set; } = GridLocation.FileStart;

    public bool MoveNext()
    {
        bool moved = inner.MoveNext();
        if (inner.Current is { } current)
        {
            LastGood = GridLocation.Of(current.Start);
        }

        return moved;
    }
}
