using System.Text;
using System.Text.Json;
using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Cli.Output;

/// <summary>
/// The JSON of `sweep cell`: config, sim (mean/std over seeds), sim_seed0 and theory, with the metric
/// names of reference-public.json. Non-finite numbers are written as the string "inf" (JSON has no infinity).
/// </summary>
public static class CellJson
{
    public static string Write(CellResult result, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WritePropertyName("config");
            WriteConfig(w, result.Config);
            w.WritePropertyName("sim");
            WriteSummary(w, result.Summary);
            w.WritePropertyName("sim_seed0");
            w.WriteStartObject();
            WriteMetrics(w, result.Seeds[0].Metrics);
            w.WritePropertyName("first_data_values");
            WriteArray(w, result.Seeds[0].FirstDataValues);
            w.WriteEndObject();
            if (result.Theory is not null)
            {
                w.WritePropertyName("theory");
                w.WriteStartObject();
                WriteMetrics(w, result.Theory);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteConfig(Utf8JsonWriter w, ModelConfig c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStartObject();
        w.WriteNumber("d", c.D);
        w.WriteNumber("N", c.N);
        w.WriteString("spectrum", c.Spectrum.Kind switch { SpectrumKind.File => "file", SpectrumKind.Identity => "identity", _ => "powerlaw" });
        WriteNumber(w, "k", c.Spectrum.K);
        if (c.Spectrum.File is null)
        {
            w.WriteNull("spectrum_file");
        }
        else
        {
            w.WriteString("spectrum_file", c.Spectrum.File);
        }

        w.WriteBoolean("normalize_spectrum", c.Spectrum.Normalize);
        WriteNumber(w, "c", c.C);
        w.WriteNumber("T", c.T);
        WriteNumber(w, "beta_min", c.BetaMin);
        WriteNumber(w, "beta_max", c.BetaMax);
        w.WriteStartArray("t");
        foreach (int t in c.ReportedSteps)
        {
            w.WriteNumberValue(t);
        }

        w.WriteEndArray();
        WriteNumber(w, "tau", c.Tau);
        WriteNumber(w, "eta", c.Eta);
        w.WriteString("dynamics", c.Dynamics == Dynamics.GradientFlow ? "gf" : "gd");
        WriteNumber(w, "init_std", c.InitStd);
        w.WriteString("bias_mode", c.BiasMode == BiasMode.None ? "none" : "mean");
        w.WriteBoolean("sampler_last_noise", c.SamplerLastNoise);
        w.WriteNumber("seeds", c.Seeds);
        w.WriteNumber("seed0", c.Seed0);
        w.WriteString("rng", "portable");
        w.WriteBoolean("theory", c.Theory);
        w.WriteBoolean("asymptotic_theory", c.AsymptoticTheory);
        w.WriteNumber("spectral_grid", c.SpectralGrid);
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, MetricSummary summary)
    {
        w.WriteStartObject();
        foreach (string name in OrderedNames(summary.Scalars.Select(p => p.Key), summary.Series.Select(p => p.Key)))
        {
            var scalar = summary.Scalars.FirstOrDefault(p => p.Key == name);
            if (scalar.Key is not null)
            {
                w.WriteStartObject(name);
                WriteNumber(w, "mean", scalar.Value.Mean);
                WriteNumber(w, "std", scalar.Value.Std);
                w.WriteEndObject();
                continue;
            }

            var series = summary.Series.First(p => p.Key == name);
            w.WriteStartObject(name);
            w.WritePropertyName("mean");
            WriteArray(w, series.Value.Mean);
            w.WritePropertyName("std");
            WriteArray(w, series.Value.Std);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter w, CellMetrics metrics)
    {
        foreach (string name in OrderedNames(metrics.Scalars.Select(p => p.Key), metrics.Series.Select(p => p.Key)))
        {
            if (metrics.TryGetScalar(name, out double v))
            {
                WriteNumber(w, name, v);
            }
            else
            {
                w.WritePropertyName(name);
                WriteArray(w, metrics.GetSeries(name));
            }
        }
    }

    /// <summary>The reference file's order: each loss as _tavg then _t, excess, KL, then anything else.</summary>
    public static IEnumerable<string> OrderedNames(IEnumerable<string> scalars, IEnumerable<string> series)
    {
        var present = new HashSet<string>(scalars.Concat(series));
        var order = new List<string>();
        foreach (string loss in MetricNames.Losses)
        {
            order.Add(MetricNames.Averaged(loss));
            order.Add(MetricNames.PerStep(loss));
        }

        order.AddRange(MetricNames.Excess.Select(MetricNames.Averaged));
        order.AddRange(MetricNames.KullbackLeibler);
        foreach (string name in order.Where(present.Contains))
        {
            yield return name;
        }

        foreach (string name in scalars.Concat(series).Where(n => !order.Contains(n)))
        {
            yield return name;
        }
    }

    private static void WriteArray(Utf8JsonWriter w, IReadOnlyList<double> values)
    {
        w.WriteStartArray();
        foreach (double v in values)
        {
            MetricsJson.WriteValue(w, v);
        }

        w.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        MetricsJson.WriteValue(w, value);
    }
}
