namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// The portable streams of one MoLRG trial (spec S-15.1, S-15.3): each kind of randomness reads its own
/// stream, seed + j 2^32, so that changing N or delta never moves the bases or the initialisation.
/// </summary>
public static class MolrgStreams
{
    public const ulong Basis = 1UL << 32;

    public const ulong Latent = 2UL << 32;

    public const ulong Floor = 3UL << 32;

    public const ulong Init = 4UL << 32;

    public static ulong For(ulong seed, ulong offset) => unchecked(seed + offset);
}
