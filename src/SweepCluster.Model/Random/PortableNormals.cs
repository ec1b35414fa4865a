using System.Runtime.CompilerServices;

namespace SweepCluster.Model.Random;

/// <summary>
/// Standard normals of spec S-9: Box-Muller on consecutive uniform pairs. Normal number k of a seed
/// is a pure function of (seed, k), which lets a training set be filled by several threads.
/// </summary>
public static class PortableNormals
{
    /// <summary>Fills <paramref name="destination"/> with normals number <paramref name="first"/>, first+1, ... (0-based).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong seed, long first, Span<double> destination)
    {
        if (first < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "normal index must be non-negative");
        }

        long k = first;
        int i = 0;
        if ((k & 1) == 1 && destination.Length > 0)
        {
            destination[0] = Pair(seed, k >> 1).Second;
            i = 1;
            k++;
        }

        for (; i + 1 < destination.Length; i += 2, k += 2)
        {
            var (a, b) = Pair(seed, k >> 1);
            destination[i] = a;
            destination[i + 1] = b;
        }

        if (i < destination.Length)
        {
            destination[i] = Pair(seed, k >> 1).First;
        }
    }

    /// <summary>The p-th pair (0-based): uniforms U_{2p}, U_{2p+1} are stream outputs 2p+1 and 2p+2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double First, double Second) Pair(ulong seed, long p)
    {
        ulong j = (ulong)p * 2UL + 1UL;
        double u1 = SplitMix64.ToUniform(SplitMix64.At(seed, j));
        double u2 = SplitMix64.ToUniform(SplitMix64.At(seed, j + 1));
        double r = Math.Sqrt(-2.0 * Math.Log(1.0 - u1));
        double th = 2.0 * Math.PI * u2;
        var (sin, cos) = Math.SinCos(th);
        return (r * cos, r * sin);
    }
}
