using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Generalisation;

/// <summary>The arguments every generalisation experiment takes besides its configuration, checked one way.</summary>
internal static class ExperimentArguments
{
    /// <summary>Throws for a missing argument, or a spectrum whose size is not the configuration's d.</summary>
    public static void Check(object config, Spectrum spectrum, ILinearAlgebra algebra, Func<int> dimension)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(algebra);
        int d = dimension();
        if (spectrum.Dimension != d)
        {
            throw new ArgumentException($"the spectrum has {spectrum.Dimension} eigenvalues, d = {d}", nameof(spectrum));
        }
    }
}
