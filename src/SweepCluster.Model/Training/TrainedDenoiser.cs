using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Training;

/// <summary>
/// The trained linear denoiser mode by mode (spec S-3). In the eigenbasis of Sigma0 each mode with
/// empirical variance sig has curvature h = a^2 (sig + c) + s^2 and relaxes from its initial value
/// with factor Q(tau); tau = infinity gives the ridge optimum of spec S-2.
/// </summary>
public readonly struct TrainedDenoiser
{
    public TrainedDenoiser(double ridge, double effectiveLearningRate, double tau, Dynamics dynamics)
    {
        Ridge = ridge;
        EffectiveLearningRate = effectiveLearningRate;
        Tau = tau;
        Dynamics = dynamics;
    }

    public double Ridge { get; }

    /// <summary>eta_eff = 2 eta / d.</summary>
    public double EffectiveLearningRate { get; }

    /// <summary>Training steps (already rounded for gradient descent), or +infinity.</summary>
    public double Tau { get; }

    public Dynamics Dynamics { get; }

    public bool IsConverged => double.IsPositiveInfinity(Tau);

    /// <summary>h = a^2 (sig + c) + s^2.</summary>
    public double Curvature(double sig, double a, double s) => (a * a * (sig + Ridge)) + (s * s);

    /// <summary>The remaining fraction of the initial condition, Q(tau); zero when converged.</summary>
    public double Decay(double h)
    {
        if (IsConverged)
        {
            return 0.0;
        }

        double x = EffectiveLearningRate * h;
        return Dynamics == Dynamics.GradientFlow
            ? Math.Exp(-x * Tau)
            : Math.Pow(1.0 - x, Tau); // integer tau: a negative base keeps its sign (oscillating mode)
    }

    /// <summary>Eigenvalue w of the noise-prediction map W_t for a mode with decay q: (s/h)(1 - q).</summary>
    public static double EpsWeight(double s, double h, double q) => s / h * (1.0 - q);

    /// <summary>Eigenvalue v of the data-prediction map V_t: (a sig / h)(1 - q).</summary>
    public static double DataWeight(double sig, double a, double h, double q) => a * sig / h * (1.0 - q);
}
