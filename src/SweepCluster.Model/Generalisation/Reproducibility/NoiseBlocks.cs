using SweepCluster.Model.Random;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// The shared sampler noise of spec S-12.3: one portable stream (S-9) per experiment. Draw r owns the normals
/// [r J d, (r+1) J d); inside it block j is [r J d + j d, r J d + (j+1) d): block 0 is u, block j &gt;= 1 is z_{T-j}.
/// Consecutive draws are one contiguous range of the stream.
/// </summary>
public static class NoiseBlocks
{
    /// <summary>NOISE_SEED = 0x5EED5EED.</summary>
    public const ulong NoiseSeed = 0x5EED5EED;

    /// <summary>FRESH_SEED = 0x5EED5EEE, the stream of fresh population samples (spec S-13.3).</summary>
    public const ulong FreshSeed = 0x5EED5EEE;

    /// <summary>
    /// Fills the J blocks of draws firstDraw .. firstDraw + draws - 1 (draw-major), split over threads: each normal
    /// is a pure function of (seed, index), so the bits do not depend on the split.
    /// </summary>
    public static void Fill(ulong seed, int firstDraw, int draws, int blocks, int dimension, double[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long perDraw = (long)blocks * dimension;
        long total = draws * perDraw;
        if (destination.Length != total)
        {
            throw new ArgumentException($"need room for {total} normals", nameof(destination));
        }

        const int piece = 1 << 16;
        long start = firstDraw * perDraw;
        int pieces = (int)((total + piece - 1) / piece);
        Parallel.For(0, pieces, k =>
        {
            long from = (long)k * piece;
            int length = (int)Math.Min(piece, total - from);
            PortableNormals.Fill(seed, start + from, destination.AsSpan((int)from, length));
        });
    }
}
