using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Numerics;

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
        NegativeBaseSign = Math.IEEERemainder(tau, 2.0) switch
        {
            0.0 => 1.0,
            1.0 or -1.0 => -1.0,
            _ => double.NaN,
        };
    }

    public double Ridge { get; }

    /// <summary>eta_eff = 2 eta / d.</summary>
    public double EffectiveLearningRate { get; }

    /// <summary>Training steps (already rounded for gradient descent), or +infinity.</summary>
    public double Tau { get; }

    public Dynamics Dynamics { get; }

    /// <summary>The sign of (1 - x)^tau for a negative base: (-1)^tau, NaN for a fractional tau as Math.Pow gives it.</summary>
    public double NegativeBaseSign { get; }

    public bool IsConverged => double.IsPositiveInfinity(Tau);

    /// <summary>h = a^2 (sig + c) + s^2.</summary>
    public double Curvature(double sig, double a, double s) => (a * a * (sig + Ridge)) + (s * s);

    /// <summary>
    /// The part of Q(tau) = exp(tau ln|base|) that does not depend on tau, so that one logarithm serves every
    /// training time of a mode (a Pow per tau costs several times an Exp, which is portable and vectorised here).
    /// </summary>
    public DecayBase DecayBase(double h)
    {
        double x = EffectiveLearningRate * h;
        if (Dynamics == Dynamics.GradientFlow)
        {
            return new DecayBase(-x, false);
        }

        double b = 1.0 - x;
        return new DecayBase(Math.Log(Math.Abs(b)), b < 0); // integer tau: a negative base keeps its sign (oscillating mode)
    }

    /// <summary>The remaining fraction of the initial condition, Q(tau); zero when converged, one at tau = 0 (also for a zero base).</summary>
    public double Decay(DecayBase decayBase)
    {
        if (IsConverged)
        {
            return 0.0;
        }

        if (Tau == 0)
        {
            return 1.0;
        }

        double q = PortableExp.Exp(Tau * decayBase.LogMagnitude);
        return decayBase.Negative ? NegativeBaseSign * q : q;
    }
}
