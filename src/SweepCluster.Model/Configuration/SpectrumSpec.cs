namespace SweepCluster.Model.Configuration;

/// <summary>A description of the population spectrum; <see cref="Spectra.Spectrum"/> is its resolved value.</summary>
/// <param name="Kind">Power law, identity or file.</param>
/// <param name="K">The power-law exponent (0 for identity, unused for files).</param>
/// <param name="File">The eigenvalue file, for <see cref="SpectrumKind.File"/>.</param>
/// <param name="Normalize">Rescale file eigenvalues to Tr Sigma / d = 1.</param>
/// <param name="ContentHash">For files, a hash of the file's content: what identifies the spectrum, wherever the file lives.</param>
public sealed record SpectrumSpec(SpectrumKind Kind, double K = 0.0, string? File = null, bool Normalize = true, string? ContentHash = null)
{
    public static SpectrumSpec PowerLaw(double k) => new(SpectrumKind.PowerLaw, k);

    public static SpectrumSpec Identity { get; } = new(SpectrumKind.Identity);

    public static SpectrumSpec FromFile(string path, bool normalize = true) => new(SpectrumKind.File, 0.0, path, normalize);
}
