namespace SweepCluster.Model.Training;

/// <summary>
/// What a mode of the trained denoiser needs at one diffusion step apart from the training time: computed once
/// per (mode, step) and shared by every tau of a pass.
/// </summary>
/// <param name="EpsScale">s/h, the converged noise-prediction weight.</param>
/// <param name="DataScale">a sig/h, the converged data-prediction weight.</param>
/// <param name="Decay">The tau-independent part of Q(tau) (default when converged, where Q = 0).</param>
public readonly record struct ModeStep(double EpsScale, double DataScale, DecayBase Decay)
{
    /// <summary>Eigenvalue w of the noise-prediction map W_t for a mode with decay q: (s/h)(1 - q).</summary>
    public double EpsWeight(double q) => EpsScale * (1.0 - q);

    /// <summary>Eigenvalue v of the data-prediction map V_t: (a sig/h)(1 - q).</summary>
    public double DataWeight(double q) => DataScale * (1.0 - q);
}
