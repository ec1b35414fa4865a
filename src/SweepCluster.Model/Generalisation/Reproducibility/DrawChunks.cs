namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// Walks the draws of an experiment in chunks of consecutive draws, with each chunk's noise blocks filled
/// (<see cref="NoiseBlocks"/>): one chunk's noise feeds every generator, and a chunk is large enough for the
/// matrix products to run at BLAS speed and small enough to stay a few megabytes.
/// </summary>
public static class DrawChunks
{
    /// <summary>The default chunk: 2^21 normals, 16 MB.</summary>
    public const long DefaultNormalsPerChunk = 1 << 21;

    /// <param name="body">Called in draw order with (first draw, draws in the chunk, their noise).</param>
    /// <param name="normalsPerChunk">The size of a chunk's noise; larger chunks make larger matrix products.</param>
    public static void ForEach(ulong seed, int draws, int blocks, int dimension, Action<int, int, double[]> body, long normalsPerChunk = DefaultNormalsPerChunk)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (draws < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(draws), draws, "draws must be >= 0");
        }

        long perDraw = (long)blocks * dimension;
        int chunk = (int)Math.Clamp(normalsPerChunk / perDraw, 1, Math.Max(1, draws));
        double[]? noise = null;
        for (int first = 0; first < draws; first += chunk)
        {
            int count = Math.Min(chunk, draws - first);
            if (noise is null || noise.Length != count * perDraw)
            {
                noise = new double[count * perDraw];
            }

            NoiseBlocks.Fill(seed, first, count, blocks, dimension, noise);
            body(first, count, noise);
        }
    }
}
