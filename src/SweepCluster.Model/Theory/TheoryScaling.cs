using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Theory;

/// <summary>
/// How the sample count enters the theory (spec S-5.1): Sigma0 = rho S' with S' an n-sample Wishart
/// matrix, and the mean error adds m_f = 1/N of Sigma to the test losses.
/// </summary>
/// <param name="N">The effective sample count n of S'.</param>
/// <param name="Rho">rho = n / N with a fitted mean, 1 otherwise.</param>
/// <param name="MeanFactor">m_f, the variance of the mean error relative to Sigma.</param>
public sealed record TheoryScaling(double N, double Rho, double MeanFactor)
{
    public static TheoryScaling For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.AsymptoticTheory || config.BiasMode == BiasMode.None)
        {
            return new TheoryScaling(config.N, 1.0, 0.0);
        }

        return new TheoryScaling(config.N - 1, (config.N - 1.0) / config.N, 1.0 / config.N);
    }
}
