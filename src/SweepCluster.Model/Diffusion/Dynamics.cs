namespace SweepCluster.Model.Diffusion;

/// <summary>How the denoiser is trained for a finite time tau (spec S-3).</summary>
public enum Dynamics
{
    /// <summary>Full-batch gradient descent, Q = (1 - eta_eff h)^tau with integer tau.</summary>
    GradientDescent,

    /// <summary>Gradient flow, Q = exp(-eta_eff h tau).</summary>
    GradientFlow,
}
