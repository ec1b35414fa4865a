using SweepCluster.Model.Random;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Training;

/// <summary>
/// N i.i.d. samples of N(0, Sigma) with Sigma diagonal (spec S-9): x[mu, i] = sqrt(lambda_i) Z[mu d + i],
/// where Z is the portable normal stream of the seed. Stored row-major, N x d.
/// </summary>
public sealed class TrainingSet
{
    private TrainingSet(double[] samples, int count, int dimension, ulong seed)
    {
        Samples = samples;
        Count = count;
        Dimension = dimension;
        Seed = seed;
    }

    /// <summary>Row-major N x d samples.</summary>
    public double[] Samples { get; }

    /// <summary>N.</summary>
    public int Count { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    public ulong Seed { get; }

    public static TrainingSet Generate(Spectrum spectrum, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "N must be at least 1");
        }

        int d = spectrum.Dimension;
        var x = new double[(long)count * d];
        var scale = new double[d];
        for (int i = 0; i < d; i++)
        {
            scale[i] = Math.Sqrt(spectrum[i]);
        }

        // The stream is random-access, so rows can be filled by any number of threads with identical bits.
        const int rowsPerChunk = 64;
        int chunks = (count + rowsPerChunk - 1) / rowsPerChunk;
        Parallel.For(0, chunks, chunk =>
        {
            int first = chunk * rowsPerChunk;
            int last = Math.Min(count, first + rowsPerChunk);
            var span = x.AsSpan(first * d, (last - first) * d);
            PortableNormals.Fill(seed, (long)first * d, span);
            for (int row = 0; row < last - first; row++)
            {
                var r = span.Slice(row * d, d);
                for (int i = 0; i < d; i++)
                {
                    r[i] *= scale[i];
                }
            }
        });

        return new TrainingSet(x, count, d, seed);
    }
}
