namespace SweepCluster.Sweeps.Grids;

/// <summary>What a numeric key accepts: integers are rounded (half to even, as numpy) before the check.</summary>
internal sealed record NumberRule(bool IsInteger, Func<double, bool> IsValid, string Description)
{
    public static NumberRule Integer(int min, string description) => new(true, v => v >= min, description);

    public static NumberRule Integer(int min, int max, string description) => new(true, v => v >= min && v <= max, description);

    public static NumberRule Real(Func<double, bool> isValid, string description) => new(false, isValid, description);
}
