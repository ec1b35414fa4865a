using System.Globalization;
using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// A cell computed inside a sweep (claimed as part of a unit, stored as metrics JSON, exported to cells.csv)
/// is bit for bit the cell `sweep cell` computes on its own for the same parameters and seed.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class CellBitIdentityTests
{
    private const string Grid = """
        name: bits
        d: [20, 36]
        N: [12, 50]
        k: [0, 1.5]
        c: [0, 1e-3]
        tau: [inf, 40]
        seeds: 3
        """;

    private const int Seeds = 3;

    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Grid points to compare: N &lt; d without ridge (divergent KL), finite tau on the identity, the
    /// converged model on a power law, finite tau without ridge on a power law.
    /// </summary>
    public static TheoryData<int, int, double, double, double> Points => new()
    {
        { 36, 12, 1.5, 0, double.PositiveInfinity },
        { 20, 50, 0, 1e-3, 40 },
        { 36, 50, 1.5, 1e-3, double.PositiveInfinity },
        { 20, 12, 1.5, 0, 40 },
    };

    [Fact]
    public void CellsCsvEqualsSweepCellBitForBitPerSeedAndTheory()
    {
        using var folder = new TempFolder("bits");
        string grid = folder.Write("bits.yaml", Grid);
        var run = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", grid, "--workers", "2", "--out", folder["out"]);
        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        var cells = CsvTable.Load(folder["out/cells.csv"]);
        Assert.Equal(2 * 2 * 2 * 2 * 2 * (Seeds + 1), cells.Rows.Count);
        Assert.All(cells.Rows, r => Assert.Equal("ok", cells.Value(r, "status")));

        var mismatches = new List<string>();
        int compared = 0;
        int divergent = 0;
        foreach (var point in Points)
        {
            int d = (int)point[0];
            int n = (int)point[1];
            double k = (double)point[2];
            double c = (double)point[3];
            double tau = (double)point[4];
            string where = string.Create(_inv, $"d={d} N={n} k={k} c={c} tau={tau}");

            // One call over all the grid's seeds: its seed-0 metrics and its theory.
            using var all = CellJson(d, n, k, c, tau, seed0: 0, seeds: Seeds, theory: true);
            var seed0 = all.RootElement.GetProperty("sim_seed0");
            compared += Compare(cells, FindRow(cells, "sim", d, n, k, c, tau, 0), seed0, $"{where} seed 0", mismatches, ref divergent);
            compared += Compare(cells, FindRow(cells, "theory", d, n, k, c, tau, null), all.RootElement.GetProperty("theory"), $"{where} theory", mismatches, ref divergent);

            // Each other seed on its own: --seed0 s --seeds 1 draws exactly the training set of seed s.
            for (int s = 1; s < Seeds; s++)
            {
                using var one = CellJson(d, n, k, c, tau, seed0: s, seeds: 1, theory: false);
                compared += Compare(cells, FindRow(cells, "sim", d, n, k, c, tau, s), one.RootElement.GetProperty("sim_seed0"), $"{where} seed {s}", mismatches, ref divergent);
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} values differ between cells.csv and sweep cell:\n{string.Join("\n", mismatches.Take(40))}");
        Assert.True(compared >= Points.Count * (Seeds + 1) * 30, $"only {compared} values compared");
        Assert.True(divergent > 0, "no divergent (inf) KL among the compared values: the N < d, c = 0 point should have one");
    }

    private static JsonDocument CellJson(int d, int n, double k, double c, double tau, int seed0, int seeds, bool theory)
    {
        var args = new List<string>
        {
            "cell", "--d", d.ToString(_inv), "--N", n.ToString(_inv), "--k", k.ToString("R", _inv), "--c", c.ToString("R", _inv),
            "--seed0", seed0.ToString(_inv), "--seeds", seeds.ToString(_inv), "--compact",
        };
        if (!double.IsPositiveInfinity(tau))
        {
            args.AddRange(["--tau", tau.ToString("R", _inv)]);
        }

        if (!theory)
        {
            args.Add("--no-theory");
        }

        var result = CliProcess.Run(TimeSpan.FromMinutes(1), null, [.. args]);
        Assert.True(result.ExitCode == 0, $"sweep {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Stderr}");
        return JsonDocument.Parse(result.Stdout);
    }

    private static IReadOnlyList<string> FindRow(CsvTable cells, string kind, int d, int n, double k, double c, double tau, int? seed)
    {
        var rows = cells.Rows.Where(r =>
            cells.Value(r, "kind") == kind
            && cells.Value(r, "d") == d.ToString(_inv)
            && cells.Value(r, "N") == n.ToString(_inv)
            && (cells.Value(r, "spectrum") == "identity" ? 0.0 : CsvTable.Number(cells.Value(r, "k"))) == k
            && CsvTable.Number(cells.Value(r, "c")) == c
            && CsvTable.Number(cells.Value(r, "tau")) == tau
            && cells.Value(r, "seed") == (seed?.ToString(_inv) ?? string.Empty)).ToList();
        Assert.True(rows.Count == 1, string.Create(_inv, $"{rows.Count} {kind} rows of cells.csv for d={d} N={n} k={k} c={c} tau={tau} seed={seed}"));
        return rows[0];
    }

    /// <summary>Compares every metric of the JSON object with the row, and checks the row has no metric the JSON lacks.</summary>
    private static int Compare(CsvTable cells, IReadOnlyList<string> row, JsonElement metrics, string what, List<string> mismatches, ref int divergent)
    {
        var steps = StepsOf(cells);
        var covered = new HashSet<string>(StringComparer.Ordinal);
        int compared = 0;
        foreach (var metric in metrics.EnumerateObject())
        {
            if (metric.Name == "first_data_values")
            {
                continue;
            }

            if (metric.Value.ValueKind == JsonValueKind.Array)
            {
                var values = metric.Value.EnumerateArray().ToArray();
                if (values.Length != steps.Count)
                {
                    mismatches.Add($"{what}: {metric.Name} has {values.Length} values for {steps.Count} reported steps");
                    continue;
                }

                for (int i = 0; i < values.Length; i++)
                {
                    string column = string.Create(_inv, $"{metric.Name}{steps[i]}");
                    compared += CompareOne(cells, row, column, values[i], what, mismatches, ref divergent);
                    covered.Add(column);
                }
            }
            else
            {
                compared += CompareOne(cells, row, metric.Name, metric.Value, what, mismatches, ref divergent);
                covered.Add(metric.Name);
            }
        }

        int firstMetric = cells.Column("message") + 1;
        for (int i = firstMetric; i < cells.Header.Count; i++)
        {
            if (row[i].Length > 0 && !covered.Contains(cells.Header[i]))
            {
                mismatches.Add($"{what}: cells.csv has {cells.Header[i]} = {row[i]}, which sweep cell does not report");
            }
        }

        return compared;
    }

    private static int CompareOne(CsvTable cells, IReadOnlyList<string> row, string column, JsonElement value, string what, List<string> mismatches, ref int divergent)
    {
        if (!cells.HasColumn(column))
        {
            mismatches.Add($"{what}: cells.csv has no column {column}");
            return 0;
        }

        double expected = value.ValueKind == JsonValueKind.String
            ? CsvTable.Number(value.GetString()!) ?? double.NaN
            : value.GetDouble();
        double? actual = CsvTable.Number(cells.Value(row, column));
        if (actual is not double a)
        {
            mismatches.Add($"{what}: {column} is empty in cells.csv, sweep cell says {expected:R}");
            return 0;
        }

        // == on the doubles (bit for bit for finite values; inf == inf), NaN only equal to NaN.
        if (!(a == expected || (double.IsNaN(a) && double.IsNaN(expected))))
        {
            mismatches.Add(string.Create(_inv, $"{what}: {column}: cells.csv {a:R}, sweep cell {expected:R} (difference {a - expected:R})"));
        }

        if (double.IsPositiveInfinity(expected))
        {
            divergent++;
        }

        return 1;
    }

    /// <summary>The reported steps, from the series columns of the header (the grid uses the default t).</summary>
    private static List<int> StepsOf(CsvTable cells) =>
        cells.Header
            .Where(h => h.StartsWith("eps_test_t", StringComparison.Ordinal) && h.Length > "eps_test_t".Length && h["eps_test_t".Length..].All(char.IsAsciiDigit))
            .Select(h => int.Parse(h["eps_test_t".Length..], _inv))
            .ToList();
}
