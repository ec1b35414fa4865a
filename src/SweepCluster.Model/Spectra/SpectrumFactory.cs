using SweepCluster.Model.Configuration;

namespace SweepCluster.Model.Spectra;

/// <summary>Resolves a <see cref="SpectrumSpec"/> to eigenvalues. Reading a file is the caller's job (the model does no I/O).</summary>
public static class SpectrumFactory
{
    /// <param name="spec">What the spectrum is.</param>
    /// <param name="d">The dimension.</param>
    /// <param name="readText">Reads a spectrum file's text; it should throw a <see cref="SpectrumFormatException"/> naming the file when it cannot.</param>
    public static Spectrum Create(SpectrumSpec spec, int d, Func<string, string> readText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(readText);
        return spec.Kind switch
        {
            SpectrumKind.Identity => Spectrum.Identity(d),
            SpectrumKind.PowerLaw => Spectrum.PowerLaw(d, spec.K),
            SpectrumKind.File => EigenvalueFile.Parse(readText(spec.File!), spec.File!, d, spec.Normalize),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown spectrum kind"),
        };
    }
}
