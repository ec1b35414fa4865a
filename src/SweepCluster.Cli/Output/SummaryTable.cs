using System.Globalization;
using System.Text.Json;
using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Cli.Output;

/// <summary>
/// A short table printed when `sweep run` finishes: per grid point the t-averaged test and train loss
/// and the KL per dimension, simulation (mean over seeds) beside theory, so that the
/// memorisation-to-generalisation transition is visible without opening a file.
/// </summary>
public static class SummaryTable
{
    // The paper's losses and KL, or a family's headline values (docs/generalisation.md): column and header.
    private static readonly Dictionary<string, (string Metric, string Header)[]> Columns = new(StringComparer.Ordinal)
    {
        ["sim"] = [("eps_test_tavg", "test loss"), ("eps_train_tavg", "train loss"), ("dkl_ideal_fwd", "KL/d (ideal, fwd)")],
        ["repro"] = [("exact_nmsd", "NMSD"), ("exact_cos_conc", "cosine (conc.)"), ("mc_rp", "RP score")],
        ["gl"] = [("linear_gl_cos", "GL_cos linear"), ("empirical_gl_cos", "GL_cos empirical"), ("linear_pair_rp", "RP linear")],
        ["bound"] = [("B_T", "bound B_T"), ("KL_sde_T", "KL reverse SDE"), ("KL_ddpm", "KL DDPM")],
        ["molrg"] = [("success", "success"), ("mean_D", "mean D"), ("eps_test_tavg", "test loss (K = 1)")],
    };

    public static void Write(TextWriter output, IEnumerable<GridPointSummary> points, int maxRows = 40)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(points);

        // The first maxRows in (parameters, arrival) order, kept as the points stream past: a million-point sweep
        // prints the same table as a whole sort would without holding it.
        var comparer = Comparer<((int, string, double, double, double) Order, long Index)>.Default;
        var kept = new List<(GridPointSummary Point, (string Label, (int, string, double, double, double) Order, string Kind) Params, long Index)>(maxRows + 1);
        long count = 0;
        foreach (var point in points)
        {
            var row = (Point: point, Params: Describe(point.CanonicalParameters), Index: count++);
            if (kept.Count < maxRows)
            {
                kept.Add(row);
                continue;
            }

            int worst = 0;
            for (int i = 1; i < kept.Count; i++)
            {
                if (comparer.Compare((kept[i].Params.Order, kept[i].Index), (kept[worst].Params.Order, kept[worst].Index)) > 0)
                {
                    worst = i;
                }
            }

            if (kept.Count > 0 && comparer.Compare((row.Params.Order, row.Index), (kept[worst].Params.Order, kept[worst].Index)) < 0)
            {
                kept[worst] = row;
            }
        }

        var rows = kept.OrderBy(r => r.Params.Order).ThenBy(r => r.Index).Select(r => (r.Point, r.Params)).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var columns = Columns[rows[0].Params.Kind];
        output.WriteLine();
        output.WriteLine("Simulation (mean over seeds) vs theory:");
        output.WriteLine($"  {"grid point",-34} {string.Join(" ", columns.Select(c => $"{c.Header,21}"))}");
        foreach (var (point, p) in rows.Take(maxRows))
        {
            var cells = columns.Select(m => Cell(point.Metrics.FirstOrDefault(a => a.Metric.Name == m.Metric)));
            output.WriteLine($"  {p.Label,-34} {string.Join(" ", cells.Select(c => $"{c,21}"))}");
        }

        if (count > maxRows)
        {
            output.WriteLine($"  ... {count - maxRows} more grid points in summary.csv");
        }
    }

    private static string Cell(MetricAggregate? a)
    {
        if (a is null)
        {
            return "-";
        }

        string sim = Format(a.Mean);
        return a.Theory is null ? sim : $"{sim} ({Format(a.Theory)})";
    }

    private static string Format(double? v) => v switch
    {
        null => "-",
        double x when double.IsPositiveInfinity(x) => "inf",
        0.0 => "0",
        double x => x.ToString("0.####", CultureInfo.InvariantCulture) is { Length: <= 8 } s && x >= 1e-3 ? s : x.ToString("0.##e0", CultureInfo.InvariantCulture),
    };

    private static (string Label, (int, string, double, double, double) Order, string Kind) Describe(string canonical)
    {
        using var doc = JsonDocument.Parse(canonical);
        var r = doc.RootElement;
        string cellKind = r.TryGetProperty("kind", out var k) && k.GetString() is { } name && Columns.ContainsKey(name) ? name : "sim";
        int d = r.GetProperty("d").GetInt32();
        int n = r.GetProperty("N").GetInt32();
        var spectrum = r.GetProperty("spectrum");
        string kind = spectrum.GetProperty("kind").GetString()!;
        string spec = kind == "powerlaw" ? "k=" + spectrum.GetProperty("k").GetDouble().ToString(CultureInfo.InvariantCulture) : kind;
        double c = r.GetProperty("c").GetDouble();
        var tauElement = r.GetProperty("tau");
        double tau = tauElement.ValueKind == JsonValueKind.String ? double.PositiveInfinity : tauElement.GetDouble();
        string tauText = double.IsPositiveInfinity(tau) ? string.Empty : $" tau={tau.ToString("g3", CultureInfo.InvariantCulture)}";
        string label = string.Create(CultureInfo.InvariantCulture, $"d={d} N={n} {spec} c={c:g2}{tauText}");

        // A family's own settings tell its points apart (r and Nk of MoLRG, the sampler of repro); they lead the order.
        var family = r.TryGetProperty("family", out var f) ? f.EnumerateObject().ToList() : [];
        string settings = string.Concat(family.Select(p => $" {p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));

        // Numbers padded so that Nk = 2 comes before Nk = 10 in the order.
        string order = string.Concat(family.Select(p => p.Value.ValueKind == JsonValueKind.Number
            ? $" {p.Name}={p.Value.GetDouble() + 1e12:000000000000000.000000}"
            : $" {p.Name}={p.Value.GetRawText()}"));
        return (label + settings, (d, order + spec, c, tau, n), cellKind);
    }
}
