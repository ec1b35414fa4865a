using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Cli.Commands;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Generalisation;
using SweepCluster.Model.Generalisation.Bound;
using SweepCluster.Model.Generalisation.Memorisation;
using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Cli.References;

/// <summary>
/// Computes one configuration of a reference file (the format of generalisation-public.json) by its kind:
/// repro (S-12), gl (S-13), bound (S-14), molrg (S-15: the heatmap, or K = 1 through the linear model).
/// Returns every value the family computes under its dotted key; numbers are plain JSON numbers, arrays arrays.
/// </summary>
public static class GeneralisationRunner
{
    public static readonly IReadOnlyList<string> Kinds = ["repro", "gl", "bound", "molrg"];

    /// <param name="entry">One element of the file's "configs".</param>
    /// <param name="directory">Where the file is: a spectrum_file is relative to it.</param>
    public static IReadOnlyDictionary<string, JsonNode?> Compute(JsonElement entry, string directory, ILinearAlgebra algebra)
    {
        string id = entry.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "(no id)";
        var config = ReferenceJson.Of(entry, "config", id);
        var parameters = ReferenceJson.Of(entry, "params", id);
        string kind = entry.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : string.Empty;
        return kind switch
        {
            "repro" => Repro(config, parameters, directory, algebra),
            "gl" => Gl(config, parameters, directory, algebra),
            "bound" => Bound(config, parameters, directory, algebra),
            "molrg" when config.Int("K", 2) == 1 && config.Has("r") => MolrgLinear(config, directory, algebra),
            "molrg" => Heatmap(config, algebra),
            _ => throw new ReferenceFormatException($"{id}.kind: '{kind}' is not one of {string.Join(", ", Kinds)}"),
        };
    }

    private static Dictionary<string, JsonNode?> Repro(ReferenceJson c, ReferenceJson p, string directory, ILinearAlgebra algebra)
    {
        var model = Model(c, directory);
        var config = new ReproducibilityConfig
        {
            Model = model with { SpectralGrid = p.Int("theory_per_decade", model.SpectralGrid) },
            Sampler = p.Text("sampler") == "ode" ? Sampler.Ode : Sampler.Ddpm,
            Pairs = p.Int("pairs", 1),
            Draws = p.Int("draws", 500),
            NoiseSeed = p.ULong("noise_seed", NoiseBlocks.NoiseSeed),
        };
        return Flat(ReproducibilityExperiment.Run(config, Spectrum(model), algebra).ToValues());
    }

    private static Dictionary<string, JsonNode?> Gl(ReferenceJson c, ReferenceJson p, string directory, ILinearAlgebra algebra)
    {
        var model = Model(c, directory);
        var config = new MemorisationConfig
        {
            Model = model with { Seed0 = p.Long("training_seed", model.Seed0) },
            Draws = p.Int("draws", 200),
            NoiseSeed = p.ULong("noise_seed", NoiseBlocks.NoiseSeed),
            FreshSeed = p.ULong("fresh_seed", NoiseBlocks.FreshSeed),
        };
        return Flat(MemorisationExperiment.Run(config, Spectrum(model), algebra).ToValues());
    }

    private static Dictionary<string, JsonNode?> Bound(ReferenceJson c, ReferenceJson p, string directory, ILinearAlgebra algebra)
    {
        var model = Model(c, directory);
        var config = new BoundConfig(model) { LogStep = p.Double("log_step", BoundConfig.DefaultLogStep) };
        return Flat(KsmBound.Run(config, Spectrum(model), algebra).ToValues());
    }

    private static Dictionary<string, JsonNode?> MolrgLinear(ReferenceJson c, string directory, ILinearAlgebra algebra)
    {
        var config = new MolrgLinearConfig(Model(c, directory), c.Int("r", 1), c.Double("delta", MolrgLinearConfig.DefaultDelta));
        return Flat(MolrgLinearModel.Run(config, algebra).ToValues());
    }

    private static Dictionary<string, JsonNode?> Heatmap(ReferenceJson c, ILinearAlgebra algebra)
    {
        var defaults = new MolrgHeatmapConfig();
        var config = new MolrgHeatmapConfig
        {
            D = c.Int("d", defaults.D),
            K = c.Int("K", defaults.K),
            RankList = c.Ints("r_list") ?? defaults.RankList,
            SamplesPerComponentList = c.Ints("Nk_list") ?? defaults.SamplesPerComponentList,
            Delta = c.Double("delta", defaults.Delta),
            Orthogonal = c.Bool("orthogonal", defaults.Orthogonal),
            Trials = c.Int("trials", defaults.Trials),
            Restarts = c.Int("restarts", defaults.Restarts),
            MaxIterations = c.Int("max_iter", defaults.MaxIterations),
            Threshold = c.Double("threshold", defaults.Threshold),
            Seed0 = c.Long("seed0", defaults.Seed0),
        };
        var result = MolrgHeatmap.Run(config, algebra);

        // One row per r, as the file has them.
        return new Dictionary<string, JsonNode?>
        {
            [MolrgHeatmapResult.SuccessKey] = new JsonArray([.. result.Success.Select(Array)]),
            [MolrgHeatmapResult.MeanDistanceKey] = new JsonArray([.. result.MeanDistance.Select(Array)]),
        };
    }

    /// <summary>The S-10 fields of a config, each with the spec's default when absent; null tau is the converged model.</summary>
    private static ModelConfig Model(ReferenceJson c, string directory)
    {
        var defaults = new ModelConfig();
        string? file = c.Text("spectrum_file");
        bool normalize = c.Bool("normalize_spectrum", true);
        var config = defaults with
        {
            D = c.Int("d", defaults.D),
            N = c.Int("N", defaults.N),
            Spectrum = file is null ? SpectrumSpec.PowerLaw(c.Double("k", 0)) : SpectrumSpec.FromFile(Path.Combine(directory, file), normalize),
            C = c.Double("c", defaults.C),
            T = c.Int("T", defaults.T),
            BetaMin = c.Double("beta_min", defaults.BetaMin),
            BetaMax = c.Double("beta_max", defaults.BetaMax),
            ReportedSteps = c.Ints("t") ?? defaults.ReportedSteps,
            Tau = c.Double("tau", double.PositiveInfinity),
            Eta = c.Double("eta", defaults.Eta),
            Dynamics = c.Text("dynamics") == "gf" ? Dynamics.GradientFlow : Dynamics.GradientDescent,
            InitStd = c.Double("init_std", 0),
            BiasMode = c.Text("bias_mode") == "none" ? BiasMode.None : BiasMode.Mean,
            SamplerLastNoise = c.Bool("sampler_last_noise", true),
            Seeds = c.Int("seeds", defaults.Seeds),
            Seed0 = c.Long("seed0", defaults.Seed0),
            Theory = c.Bool("theory", true),
            AsymptoticTheory = c.Bool("asymptotic_theory", false),
            SpectralGrid = c.Int("spectral_grid", defaults.SpectralGrid),
        };
        var errors = ModelConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw new ReferenceFormatException(string.Join("; ", errors.Select(e => $"config: {e}")));
        }

        return config;
    }

    private static Spectrum Spectrum(ModelConfig model) =>
        SpectrumFactory.Create(model.Spectrum, model.D, SpectrumFiles.Read);

    private static Dictionary<string, JsonNode?> Flat(GeneralisationValues values)
    {
        var nodes = values.Scalars.ToDictionary(kv => kv.Key, kv => Number(kv.Value));
        foreach (var (key, vector) in values.Vectors)
        {
            nodes[key] = Array(vector);
        }

        return nodes;
    }

    /// <summary>JSON has no infinity or NaN: infinities are the strings "inf" and "-inf" (as in `sweep cell`), NaN is null.</summary>
    private static JsonNode? Number(double value) => value switch
    {
        double.PositiveInfinity => JsonValue.Create("inf"),
        double.NegativeInfinity => JsonValue.Create("-inf"),
        _ when double.IsNaN(value) => null,
        _ => JsonValue.Create(value),
    };

    private static JsonArray Array(double[] values) => new([.. values.Select(Number)]);
}
