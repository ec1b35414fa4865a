using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>Runs a K = 1 MoLRG through the existing linear simulation and replica theory (spec S-15.5).</summary>
public static class MolrgLinearModel
{
    /// <summary>
    /// Eigenvalues 1 + delta (r times), then delta (d - r times); Tr Sigma / d = r/d + delta (not normalised).
    /// A floor delta &gt; 0 is required: with delta = 0 every KL is infinite and the S-5.2 kappa_0 root and the S-6 grid
    /// break down (spec S-15.5).
    /// </summary>
    public static Spectrum Spectrum(int d, int rank, double delta)
    {
        if (d < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "d must be at least 1");
        }

        if (rank < 1 || rank > d)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"r must be in 1..d = {d}");
        }

        if (!(delta > 0) || double.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "K = 1 through the linear theory needs a finite floor delta > 0 (delta = 0 makes Sigma singular: every KL is infinite and the S-5/S-6 theory breaks); the spec's default is 1e-3");
        }

        var lambda = new double[d];
        for (int i = 0; i < d; i++)
        {
            lambda[i] = i < rank ? 1.0 + delta : delta;
        }

        return new Spectrum(lambda);
    }

    public static MolrgLinearResult Run(MolrgLinearConfig config, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(config.Model);
        var spectrum = Spectrum(config.Model.D, config.Rank, config.Delta);

        // The name only records what the spectrum is; nothing reads it (the model does no I/O).
        var model = config.Model with
        {
            Spectrum = SpectrumSpec.FromFile($"molrg-K1-d{config.Model.D}-r{config.Rank}-delta{config.Delta:R}", normalize: false),
        };
        return new MolrgLinearResult(config, CellComputation.Run(model, spectrum, algebra));
    }
}
