using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Configuration;

/// <summary>
/// Every setting of one cell of the model (spec S-10.5 gives the defaults). Immutable; the same names
/// are used by the CLI options and the grid files.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The reported time steps when none are asked for.</summary>
    public static readonly IReadOnlyList<int> DefaultReportedSteps = [0, 100, 500, 999];

    /// <summary>Dimension d.</summary>
    public int D { get; init; } = 100;

    /// <summary>Number of training samples N.</summary>
    public int N { get; init; } = 50;

    public SpectrumSpec Spectrum { get; init; } = SpectrumSpec.PowerLaw(0.0);

    /// <summary>Ridge c (an isotropic pseudo-variance, spec S-2).</summary>
    public double C { get; init; } = 1e-4;

    /// <summary>Number of diffusion steps T.</summary>
    public int T { get; init; } = 1000;

    public double BetaMin { get; init; } = 1e-4;

    public double BetaMax { get; init; } = 1e-2;

    /// <summary>Time steps reported individually (the t-average is always reported).</summary>
    public IReadOnlyList<int> ReportedSteps { get; init; } = DefaultReportedSteps;

    /// <summary>Training time; +infinity means the converged model.</summary>
    public double Tau { get; init; } = double.PositiveInfinity;

    /// <summary>Learning rate in the code's convention, eta_eff = 2 eta / d (spec S-3).</summary>
    public double Eta { get; init; } = 1.0;

    public Dynamics Dynamics { get; init; } = Dynamics.GradientDescent;

    /// <summary>sigma_0 of the random initialisation W_0 ~ N(0, sigma_0^2/d), averaged analytically.</summary>
    public double InitStd { get; init; }

    public BiasMode BiasMode { get; init; } = BiasMode.Mean;

    /// <summary>Add sampler noise at the last step t = 0, as the authors' code does.</summary>
    public bool SamplerLastNoise { get; init; } = true;

    /// <summary>Number of training-set draws; draw r uses seed seed0 + r.</summary>
    public int Seeds { get; init; } = 10;

    public long Seed0 { get; init; }

    /// <summary>Compute the replica theory beside the simulation.</summary>
    public bool Theory { get; init; } = true;

    /// <summary>Pure proportional limit: n = N, rho = 1, no mean term (spec S-5.1).</summary>
    public bool AsymptoticTheory { get; init; }

    /// <summary>Points per decade of the S-6 spectral grid.</summary>
    public int SpectralGrid { get; init; } = 4000;

    public bool IsConverged => double.IsPositiveInfinity(Tau);

    /// <summary>Training steps as used by the dynamics: rounded for gradient descent (spec S-3).</summary>
    public double EffectiveTau => IsConverged || Dynamics == Dynamics.GradientFlow ? Tau : Math.Round(Tau, MidpointRounding.ToEven);

    /// <summary>eta_eff = 2 eta / d.</summary>
    public double EffectiveLearningRate => 2.0 * Eta / D;

    public NoiseSchedule CreateSchedule() => new(T, BetaMin, BetaMax);
}
