using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Versioning;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// The canonical form of a cell: a JSON object with a fixed key order and round-trip numbers, holding
/// exactly the settings the cell's result depends on (a simulation cell its seed, a theory cell none),
/// plus the model version. Hashing it gives the cell id; parsing it gives the configuration back.
/// </summary>
public static class CellParameters
{
    public static CellDefinition Simulation(ModelConfig config, long seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cellConfig = Normalized(config) with { Seeds = 1, Seed0 = seed, Theory = false };
        string canonical = Canonical(CellKind.Simulation, cellConfig);
        return new CellDefinition(Hash(canonical), CellKind.Simulation, cellConfig, canonical, SimulationGroup(cellConfig));
    }

    public static CellDefinition Theory(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cellConfig = Normalized(config) with { Seeds = 1, Seed0 = 0, Theory = true };
        string canonical = Canonical(CellKind.Theory, cellConfig);
        return new CellDefinition(Hash(canonical), CellKind.Theory, cellConfig, canonical, TheoryGroup(cellConfig));
    }

    /// <summary>
    /// A cell of a generalisation family: one configuration of repro, gl, bound or molrg. Its unit is the cell alone
    /// (a family computes its pairs, seeds or trials inside). Seed0 is the cell's seed (the first, for repro pairs and
    /// MoLRG trials); the theory settings stay, because repro and molrg with K = 1 compute their theory beside.
    /// </summary>
    public static CellDefinition Family(CellKind family, ModelConfig config, FamilySettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        if (!CellKindNames.IsFamily(family))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "not a generalisation family");
        }

        var cellConfig = Normalized(config) with { Seeds = 1, Theory = true };
        string canonical = Canonical(family, cellConfig, settings);
        string id = Hash(canonical);
        return new CellDefinition(id, family, cellConfig, canonical, $"{CellKindNames.ToName(family)}|{id}", settings);
    }

    /// <summary>Rebuilds a cell from its stored canonical JSON (the id is recomputed, so a tampered row is noticed).</summary>
    public static CellDefinition Parse(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        using var doc = JsonDocument.Parse(canonical);
        var r = doc.RootElement;
        var kind = CellKindNames.Parse(r.GetProperty("kind").GetString()!);
        var spectrum = r.GetProperty("spectrum");
        string spectrumKind = spectrum.GetProperty("kind").GetString()!;
        var spec = spectrumKind switch
        {
            "identity" => SpectrumSpec.Identity,
            "powerlaw" => SpectrumSpec.PowerLaw(spectrum.GetProperty("k").GetDouble()),
            "file" => new SpectrumSpec(SpectrumKind.File, 0.0, null, spectrum.GetProperty("normalize").GetBoolean(), spectrum.GetProperty("sha256").GetString()),
            _ => throw new FormatException($"unknown spectrum kind '{spectrumKind}'"),
        };
        var config = new ModelConfig
        {
            D = r.GetProperty("d").GetInt32(),
            N = r.GetProperty("N").GetInt32(),
            Spectrum = spec,
            C = r.GetProperty("c").GetDouble(),
            T = r.GetProperty("T").GetInt32(),
            BetaMin = r.GetProperty("beta_min").GetDouble(),
            BetaMax = r.GetProperty("beta_max").GetDouble(),
            ReportedSteps = r.GetProperty("t").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Tau = ReadNumber(r.GetProperty("tau")),
            Eta = r.GetProperty("eta").GetDouble(),
            Dynamics = r.GetProperty("dynamics").GetString() == "gf" ? Dynamics.GradientFlow : Dynamics.GradientDescent,
            InitStd = r.GetProperty("init_std").GetDouble(),
            BiasMode = r.GetProperty("bias_mode").GetString() == "none" ? BiasMode.None : BiasMode.Mean,
            SamplerLastNoise = r.GetProperty("sampler_last_noise").GetBoolean(),
        };
        var cell = kind switch
        {
            CellKind.Simulation => Simulation(config, r.GetProperty("seed").GetInt64()),
            CellKind.Theory => Theory(TheorySettings(config, r)),
            _ => Family(kind, TheorySettings(config, r) with { Seed0 = r.GetProperty("seed").GetInt64() }, FamilySettings.Read(r.GetProperty("family"))),
        };
        if (cell.CanonicalParameters != canonical)
        {
            throw new FormatException("the stored cell parameters are not in canonical form (was the row edited, or written by another model version?)");
        }

        return cell;
    }

    private static ModelConfig TheorySettings(ModelConfig config, JsonElement r) => config with
    {
        AsymptoticTheory = r.GetProperty("asymptotic_theory").GetBoolean(),
        SpectralGrid = r.GetProperty("spectral_grid").GetInt32(),
    };

    /// <summary>The spectrum part of ids and group keys: a file spectrum is known by its content, not its path.</summary>
    public static string SpectrumKey(SpectrumSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            SpectrumKind.Identity => "identity",
            SpectrumKind.PowerLaw => "powerlaw:" + Num(spec.K),
            SpectrumKind.File => $"file:{spec.ContentHash ?? throw new ArgumentException("a file spectrum needs its content hash", nameof(spec))}:{(spec.Normalize ? "normalized" : "raw")}",
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown spectrum kind"),
        };
    }

    /// <summary>A power law with k = 0 is the identity: one spelling, so `k: 0` and `identity` share results.</summary>
    private static ModelConfig Normalized(ModelConfig config) =>
        config.Spectrum.Kind == SpectrumKind.PowerLaw && config.Spectrum.K == 0 ? config with { Spectrum = SpectrumSpec.Identity } : config;

    private static string SimulationGroup(ModelConfig c) =>
        $"sim|d={c.D}|N={c.N}|{SpectrumKey(c.Spectrum)}|seed={c.Seed0}|bias={BiasName(c.BiasMode)}";

    // The order parameter and the spectral measures depend only on (spectrum, d, N) and how n, rho are set.
    private static string TheoryGroup(ModelConfig c) =>
        $"theory|d={c.D}|N={c.N}|{SpectrumKey(c.Spectrum)}|bias={BiasName(c.BiasMode)}|asymptotic={c.AsymptoticTheory}";

    private static string Canonical(CellKind kind, ModelConfig c, FamilySettings? family = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("model", ModelVersion.Current);
            w.WriteString("kind", CellKindNames.ToName(kind));
            w.WriteNumber("d", c.D);
            w.WriteNumber("N", c.N);
            w.WriteStartObject("spectrum");
            switch (c.Spectrum.Kind)
            {
                case SpectrumKind.Identity:
                    w.WriteString("kind", "identity");
                    break;
                case SpectrumKind.PowerLaw:
                    w.WriteString("kind", "powerlaw");
                    w.WriteNumber("k", c.Spectrum.K);
                    break;
                default:
                    w.WriteString("kind", "file");
                    w.WriteBoolean("normalize", c.Spectrum.Normalize);
                    w.WriteString("sha256", c.Spectrum.ContentHash);
                    break;
            }

            w.WriteEndObject();
            w.WriteNumber("c", c.C);
            w.WriteNumber("T", c.T);
            w.WriteNumber("beta_min", c.BetaMin);
            w.WriteNumber("beta_max", c.BetaMax);
            w.WriteStartArray("t");
            foreach (int t in c.ReportedSteps)
            {
                w.WriteNumberValue(t);
            }

            w.WriteEndArray();
            WriteNumber(w, "tau", c.Tau);

            // eta and the dynamics only matter at finite tau; normalising them makes equal cells equal.
            bool finite = !c.IsConverged;
            w.WriteNumber("eta", finite ? c.Eta : 1.0);
            w.WriteString("dynamics", finite && c.Dynamics == Dynamics.GradientFlow ? "gf" : "gd");
            w.WriteNumber("init_std", finite ? c.InitStd : 0.0);
            w.WriteString("bias_mode", BiasName(c.BiasMode));
            w.WriteBoolean("sampler_last_noise", c.SamplerLastNoise);
            if (kind != CellKind.Theory)
            {
                w.WriteNumber("seed", c.Seed0);
            }

            if (kind != CellKind.Simulation)
            {
                w.WriteBoolean("asymptotic_theory", c.AsymptoticTheory);
                w.WriteNumber("spectral_grid", c.SpectralGrid);
            }

            family?.Write(w, "family");

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string BiasName(BiasMode mode) => mode == BiasMode.None ? "none" : "mean";

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            w.WriteString(name, "inf");
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }

    private static double ReadNumber(JsonElement e) => e.ValueKind == JsonValueKind.String && e.GetString() == "inf" ? double.PositiveInfinity : e.GetDouble();

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>First 128 bits of SHA-256, hex: short enough to read, far from any collision.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
