namespace SweepCluster.Model.Configuration;

/// <summary>Where the population eigenvalues come from.</summary>
public enum SpectrumKind
{
    /// <summary>lambda_nu = C nu^-k with Tr Sigma / d = 1.</summary>
    PowerLaw,

    /// <summary>Sigma = Id (the power law with k = 0).</summary>
    Identity,

    /// <summary>Eigenvalues read from a file (spec S-7.1).</summary>
    File,
}
