namespace SweepCluster.Model.Diffusion;

/// <summary>Whether the denoiser has the bias b_t = mu0 (spec S-2) or no bias at all (spec S-5.1).</summary>
public enum BiasMode
{
    /// <summary>b_t = mu0, the empirical mean; the covariance is centred.</summary>
    Mean,

    /// <summary>No bias: the model sees the uncentred second moment and generates with mean zero.</summary>
    None,
}
