namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>How a linear model turns noise into a sample (spec S-12.1).</summary>
public enum Sampler
{
    /// <summary>The S-4 ancestral DDPM sampler: initial noise u and sampler noise z_t at every step (J = T + 1 noise blocks).</summary>
    Ddpm,

    /// <summary>
    /// The probability-flow ODE of the converged model from sigma = infinity: x = mu0 + (Sigma0 + c I)^{1/2} u
    /// (J = 1 noise block). Only defined for tau = infinity.
    /// </summary>
    Ode,
}
