using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Cli.Commands;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Generalisation;
using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;

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
        model = model with { SpectralGrid = p.Int("theory_per_decade", model.SpectralGrid) };
        var settings = Settings(
            (FamilyKeys.Sampler, p.Text(FamilyKeys.Sampler)),
            (FamilyKeys.Pairs, p.Has(FamilyKeys.Pairs) ? p.Long(FamilyKeys.Pairs, 1) : null),
            (FamilyKeys.Draws, p.Has(FamilyKeys.Draws) ? p.Long(FamilyKeys.Draws, 0) : null),
            (FamilyKeys.NoiseSeed, p.Has(FamilyKeys.NoiseSeed) ? (long)p.ULong(FamilyKeys.NoiseSeed, 0) : null));
        return Flat(FamilyComputer.Compute(CellKind.Repro, model, settings, Spectra, algebra));
    }

    private static Dictionary<string, JsonNode?> Gl(ReferenceJson c, ReferenceJson p, string directory, ILinearAlgebra algebra)
    {
        var model = Model(c, directory);
        model = model with { Seed0 = p.Long("training_seed", model.Seed0) };
        var settings = Settings(
            (FamilyKeys.Draws, p.Has(FamilyKeys.Draws) ? p.Long(FamilyKeys.Draws, 0) : null),
            (FamilyKeys.NoiseSeed, p.Has(FamilyKeys.NoiseSeed) ? (long)p.ULong(FamilyKeys.NoiseSeed, 0) : null),
            (FamilyKeys.FreshSeed, p.Has(FamilyKeys.FreshSeed) ? (long)p.ULong(FamilyKeys.FreshSeed, 0) : null));
        return Flat(FamilyComputer.Compute(CellKind.Gl, model, settings, Spectra, algebra));
    }

    private static Dictionary<string, JsonNode?> Bound(ReferenceJson c, ReferenceJson p, string directory, ILinearAlgebra algebra)
    {
        var settings = Settings((FamilyKeys.LogStep, p.Has(FamilyKeys.LogStep) ? p.Double(FamilyKeys.LogStep, 0) : null));
        return Flat(FamilyComputer.Compute(CellKind.Bound, Model(c, directory), settings, Spectra, algebra));
    }

    private static Dictionary<string, JsonNode?> MolrgLinear(ReferenceJson c, string directory, ILinearAlgebra algebra)
    {
        var settings = Settings(
            (FamilyKeys.K, 1L),
            (FamilyKeys.R, c.Long(FamilyKeys.R, 1)),
            (FamilyKeys.Delta, c.Has(FamilyKeys.Delta) ? c.Double(FamilyKeys.Delta, 0) : null));
        return Flat(FamilyComputer.Compute(CellKind.Molrg, Model(c, directory), settings, Spectra, algebra));
    }

    private static Dictionary<string, JsonNode?> Heatmap(ReferenceJson c, ILinearAlgebra algebra)
    {
        var defaults = new MolrgHeatmapConfig();
        var settings = Settings(
            (FamilyKeys.K, c.Has(FamilyKeys.K) ? c.Long(FamilyKeys.K, 0) : null),
            (FamilyKeys.Delta, c.Has(FamilyKeys.Delta) ? c.Double(FamilyKeys.Delta, 0) : null),
            (FamilyKeys.Orthogonal, c.Has(FamilyKeys.Orthogonal) ? c.Bool(FamilyKeys.Orthogonal, true) : null),
            (FamilyKeys.Trials, c.Has(FamilyKeys.Trials) ? c.Long(FamilyKeys.Trials, 0) : null),
            (FamilyKeys.Restarts, c.Has(FamilyKeys.Restarts) ? c.Long(FamilyKeys.Restarts, 0) : null),
            (FamilyKeys.MaxIter, c.Has(FamilyKeys.MaxIter) ? c.Long(FamilyKeys.MaxIter, 0) : null),
            (FamilyKeys.Threshold, c.Has(FamilyKeys.Threshold) ? c.Double(FamilyKeys.Threshold, 0) : null));
        var model = new ModelConfig { D = c.Int("d", defaults.D), Seed0 = c.Long("seed0", defaults.Seed0) };
        var config = FamilyComputer.Heatmap(model, settings, c.Ints("r_list") ?? defaults.RankList, c.Ints("Nk_list") ?? defaults.SamplesPerComponentList);
        var result = MolrgHeatmap.Run(config, algebra);

        // One row per r, as the file has them.
        return new Dictionary<string, JsonNode?>
        {
            [MolrgHeatmapResult.SuccessKey] = new JsonArray([.. result.Success.Select(Array)]),
            [MolrgHeatmapResult.MeanDistanceKey] = new JsonArray([.. result.MeanDistance.Select(Array)]),
        };
    }

    /// <summary>The family settings a configuration gives; an absent one (null) takes the spec's default.</summary>
    private static FamilySettings Settings(params (string Key, object? Value)[] settings) =>
        new(settings.Where(s => s.Value is not null).Select(s => new KeyValuePair<string, object>(s.Key, s.Value!)));

    private static Spectrum Spectra(SpectrumSpec spec, int d) => SpectrumFactory.Create(spec, d, SpectrumFiles.Read);

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

    internal static Dictionary<string, JsonNode?> Flat(GeneralisationValues values)
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
