namespace SweepCluster.Sweeps.Grids;

/// <summary>One problem in a grid file, at the place where it can be fixed.</summary>
/// <param name="File">The grid file, as it was named to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Key">The grid key at fault (nested keys are dotted, e.g. "spectrum.normalize").</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record GridError(string File, int Line, int Column, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}: {Message}";
}
