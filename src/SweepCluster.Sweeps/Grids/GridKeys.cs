using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Grids;

/// <summary>The spelling of every grid-file key, in the order the documentation lists them.</summary>
internal static class GridKeys
{
    public const string Name = "name";
    public const string D = "d";
    public const string N = "N";
    public const string NOverD = "n_over_d";
    public const string Spectrum = "spectrum";
    public const string K = "k";
    public const string C = "c";
    public const string T = "T";
    public const string Steps = "t";
    public const string Tau = "tau";
    public const string Eta = "eta";
    public const string Dynamics = "dynamics";
    public const string InitStd = "init_std";
    public const string Loss = "loss";
    public const string BiasMode = "bias_mode";
    public const string BetaMin = "beta_min";
    public const string BetaMax = "beta_max";
    public const string SamplerLastNoise = "sampler_last_noise";
    public const string Seeds = "seeds";
    public const string Seed0 = "seed0";
    public const string Theory = "theory";
    public const string AsymptoticTheory = "asymptotic_theory";
    public const string SpectralGrid = "spectral_grid";
    public const string Zip = "zip";
    public const string Report = "report";
    public const string Family = FamilyKeys.Family;

    public static IReadOnlyList<string> All { get; } =
    [
        Name, D, N, NOverD, Spectrum, K, C, T, Steps, Tau, Eta, Dynamics, InitStd, Loss, BiasMode, BetaMin, BetaMax,
        SamplerLastNoise, Seeds, Seed0, Theory, AsymptoticTheory, SpectralGrid, Zip, Report, Family,
        .. FamilyKeys.All.Select(k => k.Name),
    ];

    /// <summary>
    /// The keys that are axes of the grid, in the order the product runs over them (d first: n_over_d needs it).
    /// "k" is the short form of the spectrum axis.
    /// </summary>
    public static IReadOnlyList<string> Axes { get; } =
    [
        D, N, NOverD, Spectrum, C, T, BetaMin, BetaMax, Tau, Eta, Dynamics, InitStd, BiasMode, SamplerLastNoise,
        AsymptoticTheory, SpectralGrid, .. FamilyKeys.All.Select(k => k.Name),
    ];
}
