namespace SweepCluster.Model.Training;

/// <summary>
/// A mode's decay per training step written as |base| = exp(LogMagnitude) and the sign of the base, so that
/// Q(tau) = sign^tau exp(tau LogMagnitude) for any tau (spec S-3).
/// </summary>
/// <param name="LogMagnitude">ln|1 - eta_eff h| for gradient descent, -eta_eff h for gradient flow.</param>
/// <param name="Negative">The base 1 - eta_eff h is negative (an oscillating mode of gradient descent).</param>
public readonly record struct DecayBase(double LogMagnitude, bool Negative);
