using SweepCluster.Model.Configuration;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Grids;

/// <summary>Turns a grid into its grid points and cells: one simulation cell per point and seed, one theory cell per point.</summary>
public static class GridExpander
{
    public static SweepDefinition Expand(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return new SweepDefinition(grid.Name, GridHash(grid), grid.Text, [.. Cells(grid)], Spectra(grid), GridFile(grid));
    }

    /// <summary><see cref="Expand"/> with the cells made as they are read.</summary>
    public static SweepSource Source(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return new SweepSource(grid.Name, GridHash(grid), grid.Text, Cells(grid), Spectra(grid), GridFile(grid));
    }

    /// <summary>The grid file's full path, or null for a grid that did not come from a file.</summary>
    public static string? GridFile(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return grid.Path.Length == 0 ? null : System.IO.Path.GetFullPath(grid.Path);
    }

    /// <summary>The sweep's hash of the grid file's text.</summary>
    public static string GridHash(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return ContentHash.Sha256Hex(grid.Text);
    }

    /// <summary>The text of the grid's eigenvalue files by content hash, as the sweep stores them.</summary>
    public static IReadOnlyDictionary<string, string> Spectra(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return new Dictionary<string, string>(grid.SpectrumFiles, StringComparer.Ordinal);
    }

    /// <summary>
    /// The grid's distinct cells in expansion order (per point its seeds, then its theory cell), made one at a
    /// time: a million cells are never in memory together, only their ids (16 bytes each, to drop repeats).
    /// </summary>
    public static IEnumerable<CellDefinition> Cells(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Enumerate();

        IEnumerable<CellDefinition> Enumerate()
        {
            // Points that differ only in a setting a cell ignores (eta at tau = inf, spectral_grid for a
            // simulation) give the same cell; it is computed once.
            var seen = new HashSet<UInt128>();
            if (grid.Family is { } family)
            {
                foreach (var cell in FamilyCells(grid, family))
                {
                    if (seen.Add(CellIds.ToNumber(cell.Id)))
                    {
                        yield return cell;
                    }
                }

                yield break;
            }

            foreach (var config in EnumeratePoints(grid))
            {
                foreach (long seed in grid.Seeds)
                {
                    var cell = CellParameters.Simulation(config, seed);
                    if (seen.Add(CellIds.ToNumber(cell.Id)))
                    {
                        yield return cell;
                    }
                }

                if (grid.Theory)
                {
                    var cell = CellParameters.Theory(config);
                    if (seen.Add(CellIds.ToNumber(cell.Id)))
                    {
                        yield return cell;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A family grid's cells: per point one cell per seed when a cell is one training-set draw (gl, bound, molrg with
    /// K = 1), else one cell seeded from seed0 (repro's pairs, MoLRG's trials). MoLRG with K >= 2 has N = K Nk.
    /// </summary>
    private static IEnumerable<CellDefinition> FamilyCells(Grid grid, CellKind family)
    {
        foreach (var point in EnumerateGridPoints(grid))
        {
            var config = FamilyKeys.CellModel(family, point.Config, point.Family);
            if (FamilyKeys.IsPerSeed(family, point.Family))
            {
                foreach (long seed in grid.Seeds)
                {
                    yield return CellParameters.Family(family, config with { Seed0 = seed }, point.Family);
                }
            }
            else
            {
                yield return CellParameters.Family(family, config, point.Family);
            }
        }
    }

    /// <summary>Every grid point as a configuration (Seeds and Seed0 describe the grid's seeds), first axis slowest.</summary>
    public static IReadOnlyList<ModelConfig> Points(Grid grid) => [.. EnumeratePoints(grid)];

    /// <summary><see cref="Points"/> one at a time, for grids too large to hold.</summary>
    public static IEnumerable<ModelConfig> EnumeratePoints(Grid grid) => EnumerateGridPoints(grid).Select(p => p.Config);

    /// <summary>Every grid point with its family settings (empty outside a family grid), first axis slowest.</summary>
    public static IEnumerable<GridPoint> EnumerateGridPoints(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var axes = Axes(grid);
        var factors = Factors(grid, axes);
        var basePoint = new GridPoint(
            new ModelConfig
            {
                ReportedSteps = grid.ReportedSteps,
                Seeds = grid.Seeds.Count,
                Seed0 = grid.Seeds.Count > 0 ? grid.Seeds[0] : 0,
                Theory = grid.Theory,
            },
            FamilySettings.Empty);

        return factors.Any(f => axes[f[0]].Count == 0) ? [] : Enumerate();

        IEnumerable<GridPoint> Enumerate()
        {
            var position = new int[factors.Count];
            var axisIndex = new int[axes.Count];
            while (true)
            {
                for (int f = 0; f < factors.Count; f++)
                {
                    foreach (int a in factors[f])
                    {
                        axisIndex[a] = position[f];
                    }
                }

                // Axes apply in their fixed order (d first), whatever the zip groups, so n_over_d always sees d.
                var point = basePoint;
                for (int a = 0; a < axes.Count; a++)
                {
                    point = axes[a].Apply(point, axisIndex[a]);
                }

                yield return point;
                int digit = factors.Count - 1;
                while (digit >= 0 && ++position[digit] == axes[factors[digit][0]].Count)
                {
                    position[digit] = 0;
                    digit--;
                }

                if (digit < 0)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// The number of cells the grid asks for before repeats are dropped: points x (seeds + 1 when theory is on);
    /// long.MaxValue when it would not fit.
    /// </summary>
    public static long CellCount(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        long points = PointCount(grid);
        long perPoint = grid.Family is { } family
            ? (family == CellKind.Repro || (family == CellKind.Molrg && !grid.FamilyAxes.Any(a => a.Key == FamilyKeys.K && a.Values.Contains(1L))) ? 1 : grid.Seeds.Count)
            : grid.Seeds.Count + (grid.Theory ? 1 : 0);
        return perPoint != 0 && points > long.MaxValue / perPoint ? long.MaxValue : points * perPoint;
    }

    /// <summary>The number of grid points, without building them (long.MaxValue when it would not fit).</summary>
    public static long PointCount(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var axes = Axes(grid);
        long count = 1;
        foreach (var factor in Factors(grid, axes))
        {
            long length = axes[factor[0]].Count;
            if (length != 0 && count > long.MaxValue / length)
            {
                return long.MaxValue;
            }

            count *= length;
        }

        return count;
    }

    internal static IReadOnlyList<GridAxis> Axes(Grid grid)
    {
        var axes = new List<GridAxis>
        {
            new(GridKeys.D, grid.D.Count, (p, i) => p with { Config = p.Config with { D = grid.D[i] } }),
        };
        if (grid.N is { } n)
        {
            axes.Add(new(GridKeys.N, n.Count, (p, i) => p with { Config = p.Config with { N = n[i] } }));
        }

        if (grid.NOverD is { } ratio)
        {
            axes.Add(new(GridKeys.NOverD, ratio.Count, (p, i) => p with { Config = p.Config with { N = SamplesFor(ratio[i], p.Config.D) } }));
        }

        axes.Add(new(GridKeys.Spectrum, grid.Spectra.Count, (p, i) => p with { Config = p.Config with { Spectrum = grid.Spectra[i] } }));
        axes.Add(new(GridKeys.C, grid.C.Count, (p, i) => p with { Config = p.Config with { C = grid.C[i] } }));
        axes.Add(new(GridKeys.T, grid.T.Count, (p, i) => p with { Config = p.Config with { T = grid.T[i] } }));
        axes.Add(new(GridKeys.BetaMin, grid.BetaMin.Count, (p, i) => p with { Config = p.Config with { BetaMin = grid.BetaMin[i] } }));
        axes.Add(new(GridKeys.BetaMax, grid.BetaMax.Count, (p, i) => p with { Config = p.Config with { BetaMax = grid.BetaMax[i] } }));
        axes.Add(new(GridKeys.Tau, grid.Tau.Count, (p, i) => p with { Config = p.Config with { Tau = grid.Tau[i] } }));
        axes.Add(new(GridKeys.Eta, grid.Eta.Count, (p, i) => p with { Config = p.Config with { Eta = grid.Eta[i] } }));
        axes.Add(new(GridKeys.Dynamics, grid.Dynamics.Count, (p, i) => p with { Config = p.Config with { Dynamics = grid.Dynamics[i] } }));
        axes.Add(new(GridKeys.InitStd, grid.InitStd.Count, (p, i) => p with { Config = p.Config with { InitStd = grid.InitStd[i] } }));
        axes.Add(new(GridKeys.BiasMode, grid.BiasMode.Count, (p, i) => p with { Config = p.Config with { BiasMode = grid.BiasMode[i] } }));
        axes.Add(new(GridKeys.SamplerLastNoise, grid.SamplerLastNoise.Count, (p, i) => p with { Config = p.Config with { SamplerLastNoise = grid.SamplerLastNoise[i] } }));
        axes.Add(new(GridKeys.AsymptoticTheory, grid.AsymptoticTheory.Count, (p, i) => p with { Config = p.Config with { AsymptoticTheory = grid.AsymptoticTheory[i] } }));
        axes.Add(new(GridKeys.SpectralGrid, grid.SpectralGrid.Count, (p, i) => p with { Config = p.Config with { SpectralGrid = grid.SpectralGrid[i] } }));
        foreach (var family in grid.FamilyAxes)
        {
            axes.Add(new(family.Key, family.Values.Count, (p, i) => p with { Family = p.Family.With(family.Key, family.Values[i]) }));
        }

        return axes;
    }

    /// <summary>N = round(n_over_d * d), half to even as numpy rounds.</summary>
    internal static int SamplesFor(double nOverD, int d)
    {
        double n = Math.Round(nOverD * d, MidpointRounding.ToEven);
        return n >= int.MaxValue ? int.MaxValue : n <= int.MinValue ? int.MinValue : (int)n;
    }

    // A factor is one zip group or one free axis; the product runs over factors, in the order of their first axis.
    private static List<int[]> Factors(Grid grid, IReadOnlyList<GridAxis> axes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int a = 0; a < axes.Count; a++)
        {
            index[axes[a].Key] = a;
        }

        var grouped = new HashSet<int>();
        var factors = new List<int[]>();
        foreach (var group in grid.Zip)
        {
            int[] members = [.. group.Where(index.ContainsKey).Select(k => index[k]).Order()];
            if (members.Length > 0)
            {
                factors.Add(members);
                grouped.UnionWith(members);
            }
        }

        for (int a = 0; a < axes.Count; a++)
        {
            if (!grouped.Contains(a))
            {
                factors.Add([a]);
            }
        }

        factors.Sort((x, y) => x[0].CompareTo(y[0]));
        return factors;
    }
}
