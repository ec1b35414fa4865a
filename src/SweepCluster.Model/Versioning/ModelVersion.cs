namespace SweepCluster.Model.Versioning;

/// <summary>
/// The version of the numerics. It is part of every cell id: change it whenever a change to the model
/// code can change a result, so that old results are not reused for new code.
/// </summary>
/// <remarks>
/// 2: gradient descent's decay (1 - eta_eff h)^tau is exp(tau ln|1 - eta_eff h|) with the sign of the base, so
/// that one logarithm serves every tau of a mode; finite-tau GD results move in the last bits (relative 1e-14),
/// converged and gradient-flow results keep theirs.
/// </remarks>
public static class ModelVersion
{
    public const string Current = "linear-diffusion/2";
}
