using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;

namespace SweepCluster.Cli.Options;

/// <summary>
/// The model settings as command-line options. Every command that takes a model configuration uses
/// these, so names and defaults are the same everywhere (and match the grid-file keys).
/// </summary>
public sealed class ModelOptions
{
    private static readonly ModelConfig Defaults = new();

    public Option<int> D { get; } = new("--d") { Description = "Dimension d of the data.", DefaultValueFactory = _ => Defaults.D };

    public Option<int> N { get; } = new("--N") { Description = "Number of training samples N (at least 2).", DefaultValueFactory = _ => Defaults.N };

    public Option<double> K { get; } = new("--k") { Description = "Power-law exponent: lambda_nu ~ nu^-k, normalised to Tr Sigma/d = 1 (0 = identity).", DefaultValueFactory = _ => 0.0 };

    public Option<string?> SpectrumFile { get; } = new("--spectrum-file") { Description = "Eigenvalue file (numbers separated by white space; '#' comments) instead of a power law." };

    public Option<bool> NoNormalizeSpectrum { get; } = new("--no-normalize-spectrum") { Description = "Keep the file's eigenvalues as they are instead of rescaling to Tr Sigma/d = 1." };

    public Option<double> C { get; } = new("--c") { Description = "Ridge c >= 0 (an isotropic pseudo-variance added to the empirical covariance).", DefaultValueFactory = _ => Defaults.C };

    public Option<int> Seeds { get; } = new("--seeds") { Description = "Number of training-set draws; draw r uses seed seed0 + r.", DefaultValueFactory = _ => Defaults.Seeds };

    public Option<long> Seed0 { get; } = new("--seed0") { Description = "Seed of the first draw.", DefaultValueFactory = _ => Defaults.Seed0 };

    public Option<int[]> Steps { get; } = new("--t")
    {
        Description = "Diffusion time steps reported individually (the t-average is always reported).",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [.. ModelConfig.DefaultReportedSteps],
    };

    public Option<double> Tau { get; } = new("--tau")
    {
        Description = "Training time (GD steps, or time for gf); 'inf' = the converged model.",
        DefaultValueFactory = _ => double.PositiveInfinity,
        CustomParser = ParseTau,
    };

    public Option<double> Eta { get; } = new("--eta") { Description = "Learning rate (code convention: eta_eff = 2 eta / d). GD needs 2 eta/d * h_max < 2.", DefaultValueFactory = _ => Defaults.Eta };

    public Option<string> Dynamics { get; } = new Option<string>("--dynamics") { Description = "Training dynamics for finite tau: gd (gradient descent) or gf (gradient flow).", DefaultValueFactory = _ => "gd" }.AcceptOnlyFromAmongFluent("gd", "gf");

    public Option<double> InitStd { get; } = new("--init-std") { Description = "sigma_0 of the random initialisation W_0 ~ N(0, sigma_0^2/d), averaged exactly (0 = zero init).", DefaultValueFactory = _ => 0.0 };

    public Option<int> T { get; } = new("--T") { Description = "Number of diffusion steps T.", DefaultValueFactory = _ => Defaults.T };

    public Option<double> BetaMin { get; } = new("--beta-min") { Description = "First beta of the linear schedule.", DefaultValueFactory = _ => Defaults.BetaMin };

    public Option<double> BetaMax { get; } = new("--beta-max") { Description = "Last beta of the linear schedule (the code's default is 2e-2; the slides use 1e-2).", DefaultValueFactory = _ => Defaults.BetaMax };

    public Option<string> BiasMode { get; } = new Option<string>("--bias-mode") { Description = "mean: bias b_t = mu0 (centred covariance); none: no bias (uncentred second moment).", DefaultValueFactory = _ => "mean" }.AcceptOnlyFromAmongFluent("mean", "none");

    public Option<bool> NoLastNoise { get; } = new("--no-last-noise") { Description = "Do not add sampler noise at the last step t = 0 (Ho et al.); the authors' code adds it." };

    public Option<bool> NoTheory { get; } = new("--no-theory") { Description = "Skip the replica-theory prediction." };

    public Option<bool> AsymptoticTheory { get; } = new("--asymptotic-theory") { Description = "Theory in the pure proportional limit: n = N, rho = 1, no mean term." };

    public Option<int> SpectralGrid { get; } = new("--spectral-grid") { Description = "Points per decade of the spectral grid used for finite-tau and DDPM theory.", DefaultValueFactory = _ => Defaults.SpectralGrid };

    /// <summary>Every option of the model, in the order of --help.</summary>
    public IReadOnlyList<Option> All => [D, N, K, SpectrumFile, NoNormalizeSpectrum, C, Seeds, Seed0, Steps, Tau, Eta, Dynamics, InitStd, T, BetaMin, BetaMax, BiasMode, NoLastNoise, NoTheory, AsymptoticTheory, SpectralGrid];

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in All)
        {
            command.Add(option);
        }

        foreach (var option in new[] { C, Eta, InitStd, BetaMin, BetaMax, K })
        {
            option.Validators.Add(RequireFinite);
        }

        command.Validators.Add(RefuseIgnoredCombinations);
    }

    /// <summary>
    /// Options that would be ignored beside others are refused: a run with --k and --spectrum-file used the file and
    /// dropped k in silence, so the user believed in a spectrum that was never computed.
    /// </summary>
    private void RefuseIgnoredCombinations(CommandResult command)
    {
        bool file = command.GetResult(SpectrumFile) is { Implicit: false };
        if (file && command.GetResult(K) is { Implicit: false })
        {
            command.AddError("--k and --spectrum-file both set the spectrum, and --k would be ignored; give one of them");
        }

        if (!file && command.GetResult(NoNormalizeSpectrum) is { Implicit: false })
        {
            command.AddError("--no-normalize-spectrum applies to --spectrum-file only, and would be ignored; add --spectrum-file or drop it");
        }
    }

    /// <summary>"Infinity" and "NaN" parse as doubles, but no setting but --tau means anything with them.</summary>
    private static void RequireFinite(OptionResult result)
    {
        // The token, not the converted value: a token that is no number at all already has the parser's own error.
        if (result.Tokens.Count > 0
            && double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && !double.IsFinite(value))
        {
            result.AddError($"{result.Option.Name}: '{result.Tokens[^1].Value}' is not a finite number (such as 0.5 or 1e-3)");
        }
    }

    public ModelConfig Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? file = parse.GetValue(SpectrumFile);
        double k = parse.GetValue(K);
        var spectrum = file is not null
            ? SpectrumSpec.FromFile(file, !parse.GetValue(NoNormalizeSpectrum))
            : k == 0 ? SpectrumSpec.Identity : SpectrumSpec.PowerLaw(k);
        return new ModelConfig
        {
            D = parse.GetValue(D),
            N = parse.GetValue(N),
            Spectrum = spectrum,
            C = parse.GetValue(C),
            Seeds = parse.GetValue(Seeds),
            Seed0 = parse.GetValue(Seed0),
            ReportedSteps = parse.GetValue(Steps) ?? [.. ModelConfig.DefaultReportedSteps],
            Tau = parse.GetValue(Tau),
            Eta = parse.GetValue(Eta),
            Dynamics = parse.GetValue(Dynamics) == "gf" ? Model.Diffusion.Dynamics.GradientFlow : Model.Diffusion.Dynamics.GradientDescent,
            InitStd = parse.GetValue(InitStd),
            T = parse.GetValue(T),
            BetaMin = parse.GetValue(BetaMin),
            BetaMax = parse.GetValue(BetaMax),
            BiasMode = parse.GetValue(BiasMode) == "none" ? Model.Diffusion.BiasMode.None : Model.Diffusion.BiasMode.Mean,
            SamplerLastNoise = !parse.GetValue(NoLastNoise),
            Theory = !parse.GetValue(NoTheory),
            AsymptoticTheory = parse.GetValue(AsymptoticTheory),
            SpectralGrid = parse.GetValue(SpectralGrid),
        };
    }

    /// <summary>The option a configuration field comes from, for error messages.</summary>
    public static string OptionFor(string field) => field switch
    {
        "k" => "--k",
        _ => "--" + field,
    };

    private static double ParseTau(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "inf";
        if (token is "inf" or "infinity" or "Infinity" or "+inf")
        {
            return double.PositiveInfinity;
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double tau))
        {
            return tau;
        }

        result.AddError($"--tau: '{token}' is not a number or 'inf'");
        return double.NaN;
    }
}
