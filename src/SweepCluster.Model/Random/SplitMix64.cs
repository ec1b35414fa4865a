using System.Runtime.CompilerServices;

namespace SweepCluster.Model.Random;

/// <summary>
/// The portable generator of spec S-9. Output j depends only on the seed and j, so any range of the
/// stream can be produced independently (and in parallel) with bit-identical results.
/// </summary>
public static class SplitMix64
{
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Output number <paramref name="j"/> (1-based, as in the spec) of the stream for <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong At(ulong seed, ulong j)
    {
        ulong z = unchecked(seed + (j * Gamma));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToUniform(ulong output) => (output >> 11) * (1.0 / (1UL << 53));
}
