using System.Globalization;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// The checks that need whole grid points: the model's own validation of every expanded configuration,
/// whether a spectrum file has enough eigenvalues for d, and whether gradient descent can be stable at eta.
/// </summary>
internal static class GridChecks
{
    /// <param name="grid">The grid, defaults filled in.</param>
    /// <param name="locate">Where a key is written.</param>
    /// <param name="faultyKeys">Keys with errors already; their point errors would only repeat them.</param>
    /// <param name="error">Records an error.</param>
    public static void Check(Grid grid, Func<string, GridLocation> locate, IReadOnlySet<string> faultyKeys, Action<string, GridLocation, string> error)
    {
        // A problem usually repeats over many points (every N at one bad beta_max); it is reported once, at the
        // first point that shows it, with the number of points.
        var findings = new Dictionary<(string Key, string Message), Finding>();
        var skip = new HashSet<string>(faultyKeys, StringComparer.Ordinal);
        var largestEigenvalues = new Dictionary<string, double?>(StringComparer.Ordinal);
        var schedules = new Dictionary<(int, double, double), NoiseSchedule>();
        var stableEtas = new Dictionary<(int, double, double, int, double, double), double>();
        long points = 0;

        void Find(string key, string message, string at, string? explanation = null)
        {
            if (skip.Contains(key))
            {
                return;
            }

            if (findings.TryGetValue((key, message), out var finding))
            {
                finding.Count++;
            }
            else
            {
                findings[(key, message)] = new Finding(at, explanation);
            }
        }

        foreach (var point in GridExpander.EnumerateGridPoints(grid))
        {
            points++;
            var config = point.Config;
            if (grid.Family is { } family)
            {
                bool subspaces = Families.FamilyKeys.IsSubspaces(family, point.Family);
                config = Families.FamilyKeys.CellModel(family, config, point.Family);

                var familyProblems = FamilyChecks.Problems(family, point with { Config = config }).ToList();
                foreach (var (key, message) in familyProblems)
                {
                    Find(key, message, Describe(config));
                }

                // K-subspaces reads d alone of the model's settings; the others are checked as for any grid.
                if (subspaces || familyProblems.Count > 0)
                {
                    continue;
                }
            }

            // Repro and gl take N = 1 (S-12.6, S-13.2); the reader checked that.
            var problems = ModelConfigValidator.Validate(config).Where(p => !(p.Field == "N" && config.N == 1 && grid.Family is Cells.CellKind.Repro or Cells.CellKind.Gl)).ToList();
            foreach (var problem in problems)
            {
                string key = GridKey(problem.Field, grid);
                if (key == GridKeys.NOverD && problem.Field == "N")
                {
                    Find(key, $"gives N = round(n_over_d * d) = {config.N}, but N must be at least 2 (an empirical covariance needs two samples)", Describe(config));
                }
                else
                {
                    Find(key, GridNames(problem.Message), Describe(config));
                }
            }

            if (problems.Count > 0)
            {
                continue;
            }

            string spectrumKey = $"{Cells.CellParameters.SpectrumKey(config.Spectrum)}|{config.D}";
            if (!largestEigenvalues.TryGetValue(spectrumKey, out double? largest))
            {
                largest = LargestEigenvalue(grid, config, out string? problem);
                largestEigenvalues[spectrumKey] = largest;
                if (problem is not null)
                {
                    Find(grid.SpectrumKey, problem, Describe(config));
                }
            }

            if (largest is not double lambdaMax || config.IsConverged || config.Dynamics != Dynamics.GradientDescent)
            {
                continue;
            }

            var scheduleKey = (config.T, config.BetaMin, config.BetaMax);
            if (!schedules.TryGetValue(scheduleKey, out var schedule))
            {
                schedule = config.CreateSchedule();
                schedules[scheduleKey] = schedule;
            }

            var etaKey = (config.T, config.BetaMin, config.BetaMax, config.D, config.C, lambdaMax);
            if (!stableEtas.TryGetValue(etaKey, out double etaMax))
            {
                etaMax = ModelConfigValidator.LargestStableEta(config, schedule, lambdaMax);
                stableEtas[etaKey] = etaMax;
            }

            if (!(config.Eta < etaMax))
            {
                Find(
                    GridKeys.Eta,
                    $"eta = {Num(config.Eta)} makes gradient descent diverge",
                    Describe(config),
                    "stability needs 2 eta/d * h_max < 2, and the largest population eigenvalue " +
                    $"{Num(lambdaMax)} alone already requires eta < {Num(etaMax)} (the sample covariance's largest " +
                    "eigenvalue is usually larger, so the actual limit is lower); use a smaller eta, or dynamics: gf");
            }
        }

        foreach (var ((key, message), finding) in findings)
        {
            string where = finding.Count == 1 ? $"at {finding.At}" : $"at {finding.Count} of {points} grid points, first at {finding.At}";
            error(key, locate(key), finding.Explanation is null ? $"{message} ({where})" : $"{message} {where}: {finding.Explanation}");
        }
    }

    /// <summary>The largest population eigenvalue at this d, or null (with the problem) when the spectrum cannot give d eigenvalues.</summary>
    private static double? LargestEigenvalue(Grid grid, ModelConfig config, out string? problem)
    {
        problem = null;
        var spec = config.Spectrum;
        if (spec.Kind != SpectrumKind.File)
        {
            try
            {
                return SpectrumFactory.Create(spec, config.D, _ => string.Empty).Max;
            }
            catch (ArgumentException)
            {
                // nu^-k underflows to zero for large k and d.
                problem = $"k = {Num(spec.K)} is too steep for d = {config.D}: the smallest eigenvalues d^-k underflow to zero";
                return null;
            }
        }

        string name = Path.GetFileName(spec.File ?? string.Empty);
        if (spec.ContentHash is not { } hash || !grid.SpectrumFiles.TryGetValue(hash, out string? text))
        {
            return null;
        }

        try
        {
            return EigenvalueFile.Parse(text, name, config.D, spec.Normalize).Max;
        }
        catch (SpectrumFormatException e)
        {
            problem = $"spectrum file '{name}' cannot serve d = {config.D}: {e.Problem}";
            return null;
        }
    }

    /// <summary>The grid key for a field name of <see cref="ModelConfigValidator"/> (which uses the CLI's spelling).</summary>
    private static string GridKey(string field, Grid grid) => field switch
    {
        "N" => grid.NOverD is null ? GridKeys.N : GridKeys.NOverD,
        "beta-min" => GridKeys.BetaMin,
        "beta-max" => GridKeys.BetaMax,
        "init-std" => GridKeys.InitStd,
        "spectral-grid" => GridKeys.SpectralGrid,
        "spectrum-file" or "k" => GridKeys.Spectrum,
        _ => field.Replace('-', '_'),
    };

    private static string GridNames(string message) => message
        .Replace("beta-min", GridKeys.BetaMin, StringComparison.Ordinal)
        .Replace("beta-max", GridKeys.BetaMax, StringComparison.Ordinal)
        .Replace("init-std", GridKeys.InitStd, StringComparison.Ordinal)
        .Replace("spectral-grid", GridKeys.SpectralGrid, StringComparison.Ordinal);

    internal static string Describe(ModelConfig config)
    {
        string spectrum = config.Spectrum.Kind switch
        {
            SpectrumKind.Identity => "identity spectrum",
            SpectrumKind.PowerLaw => $"k = {Num(config.Spectrum.K)}",
            _ => $"spectrum file '{Path.GetFileName(config.Spectrum.File)}'",
        };
        string tau = config.IsConverged ? "inf" : Num(config.Tau);
        return $"d = {config.D}, N = {config.N}, {spectrum}, c = {Num(config.C)}, T = {config.T}, tau = {tau}";
    }

    private static string Num(double v) => v.ToString("g6", CultureInfo.InvariantCulture);

    /// <summary>A problem and the first grid point that shows it.</summary>
    private sealed class Finding(string at, string? explanation)
    {
        public string At { get; } = at;

        public string? Explanation { get; } = explanation;

        public long Count { get; set; } = 1;
    }
}
