namespace SweepCluster.Model.Versioning;

/// <summary>
/// The version of the numerics. It is part of every cell id: change it whenever a change to the model
/// code can change a result, so that old results are not reused for new code.
/// </summary>
/// <remarks>
/// 2: the decay Q(tau) of a finite training time is exp(tau ln|1 - eta_eff h|) with the sign of the base for
/// gradient descent (was Math.Pow), and exp is <see cref="Numerics.PortableExp"/> (was Math.Exp) for both dynamics,
/// so that one logarithm serves every tau of a mode and the taus run in vector lanes; finite-tau results move in
/// the last bits (relative 1e-14), converged results keep theirs.
/// </remarks>
public static class ModelVersion
{
    public const string Current = "linear-diffusion/2";
}
