using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Families;

/// <summary>What a family setting holds.</summary>
public enum FamilyValueType
{
    WholeNumber,
    RealNumber,
    Name,
    Flag,
}

/// <summary>
/// One setting of the generalisation families, as a grid file and a reference file spell it.
/// </summary>
/// <param name="Name">The key.</param>
/// <param name="Families">The families that take it.</param>
/// <param name="Type">Integer, real, name or boolean.</param>
/// <param name="IsValid">Whether a value is allowed (integers arrive rounded).</param>
/// <param name="Allowed">What is allowed, in words, for messages.</param>
/// <param name="Meaning">What it sets, for `--help`-like listings and the docs.</param>
/// <param name="Names">For a name: the names allowed.</param>
public sealed record FamilyKey(
    string Name,
    IReadOnlyList<CellKind> Families,
    FamilyValueType Type,
    Func<double, bool> IsValid,
    string Allowed,
    string Meaning,
    IReadOnlyList<string>? Names = null);
