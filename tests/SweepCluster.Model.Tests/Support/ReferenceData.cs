using System.Text.Json;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Tests.Support;

/// <summary>
/// The spec's reference-public.json. Found through SWEEP_SPEC_DIR, or by walking up from the test
/// binaries to a folder that holds shared/spec (the project sits beside shared/ on every machine).
/// </summary>
public static class ReferenceData
{
    private static readonly Lazy<JsonDocument> Document = new(Load);

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Configs => Root.GetProperty("configs").EnumerateArray();

    public static TheoryData<string> ConfigIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Configs)
        {
            data.Add(c.GetProperty("id").GetString()!);
        }

        return data;
    }

    public static JsonElement Config(string id) => Configs.First(c => c.GetProperty("id").GetString() == id);

    public static string SpecDirectory()
    {
        string? env = Environment.GetEnvironmentVariable("SWEEP_SPEC_DIR");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "reference-public.json")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "spec");
            if (File.Exists(Path.Combine(candidate, "reference-public.json")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("reference-public.json not found: set SWEEP_SPEC_DIR or keep the project beside shared/spec");
    }

    /// <summary>
    /// The model configuration of a reference entry, read field by field (the S-10 fields, shared by
    /// reference-public.json and generalisation-public.json); a null t is the default reported steps.
    /// </summary>
    public static ModelConfig ToModelConfig(JsonElement entry)
    {
        var c = entry.GetProperty("config");
        var tau = c.GetProperty("tau");
        return new ModelConfig
        {
            D = c.GetProperty("d").GetInt32(),
            N = c.GetProperty("N").GetInt32(),
            Spectrum = SpectrumSpec.PowerLaw(c.GetProperty("k").GetDouble()),
            C = c.GetProperty("c").GetDouble(),
            T = c.GetProperty("T").GetInt32(),
            BetaMin = c.GetProperty("beta_min").GetDouble(),
            BetaMax = c.GetProperty("beta_max").GetDouble(),
            ReportedSteps = c.GetProperty("t") is { ValueKind: JsonValueKind.Array } t ? t.EnumerateArray().Select(e => e.GetInt32()).ToArray() : ModelConfig.DefaultReportedSteps,
            Tau = tau.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : tau.GetDouble(),
            Eta = c.GetProperty("eta").GetDouble(),
            Dynamics = c.GetProperty("dynamics").GetString() == "gf" ? Dynamics.GradientFlow : Dynamics.GradientDescent,
            InitStd = c.GetProperty("init_std").GetDouble(),
            BiasMode = c.GetProperty("bias_mode").GetString() == "none" ? BiasMode.None : BiasMode.Mean,
            SamplerLastNoise = c.GetProperty("sampler_last_noise").GetBoolean(),
            Seeds = c.GetProperty("seeds").GetInt32(),
            Seed0 = c.GetProperty("seed0").GetInt64(),
            Theory = c.GetProperty("theory").GetBoolean(),
            AsymptoticTheory = c.GetProperty("asymptotic_theory").GetBoolean(),
            SpectralGrid = c.GetProperty("spectral_grid").GetInt32(),
        };
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Path.Combine(SpecDirectory(), "reference-public.json")));
}
