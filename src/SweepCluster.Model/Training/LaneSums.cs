using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SweepCluster.Model.Training;

/// <summary>
/// Accumulators of a pass over several tau values, one vector lane per tau: term i of lane k lives at
/// i * stride + k, so a vector of lanes adds to its own sums and lanes never mix.
/// </summary>
public static class LaneSums
{
    /// <summary>sums[index .. index + width) += values, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(double[] sums, int index, Vector<double> values)
    {
        ArgumentNullException.ThrowIfNull(sums);
        if ((uint)index > (uint)(sums.Length - Vector<double>.Count))
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        ref var slot = ref Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(sums), index));
        slot += values;
    }

    /// <summary>
    /// The per-chunk sums of every real lane (padding dropped) as one row of terms per tau, chunks added in their
    /// fixed order so that the result does not depend on the thread count.
    /// </summary>
    public static double[][] InChunkOrder(double[][] chunks, TauLanes lanes, int terms)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(lanes);
        int stride = lanes.Stride;
        var total = new double[lanes.Count][];
        for (int k = 0; k < lanes.Count; k++)
        {
            total[k] = new double[terms];
        }

        foreach (var chunk in chunks)
        {
            for (int k = 0; k < lanes.Count; k++)
            {
                var row = total[k];
                for (int i = 0; i < terms; i++)
                {
                    row[i] += chunk[(i * stride) + k];
                }
            }
        }

        return total;
    }
}
