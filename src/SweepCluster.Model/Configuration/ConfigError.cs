namespace SweepCluster.Model.Configuration;

/// <summary>One invalid setting: the field (as named in grid files, e.g. "eta") and what is allowed.</summary>
public sealed record ConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
