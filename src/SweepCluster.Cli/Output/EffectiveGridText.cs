using System.Globalization;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Output;

/// <summary>
/// A grid's fields as the sweep will use them (after --set and the defaults), keyed as in the grid file, so that
/// `validate` shows what a run would compute without the reader working out the defaults.
/// </summary>
public static class EffectiveGridText
{
    public static IReadOnlyList<(string Key, string Value)> Fields(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var fields = new List<(string, string)> { ("name", grid.Name) };
        if (grid.Family is { } family)
        {
            fields.Add(("family", Sweeps.Cells.CellKindNames.ToName(family)));
        }

        fields.Add(("d", List(grid.D)));
        if (grid.N is not null)
        {
            fields.Add(("N", List(grid.N)));
        }

        if (grid.NOverD is not null)
        {
            fields.Add(("n_over_d", List(grid.NOverD)));
        }

        fields.AddRange(
        [
            ("spectrum", List(grid.Spectra.Select(Spectrum))),
            ("c", List(grid.C)),
            ("T", List(grid.T)),
            ("beta_min", List(grid.BetaMin)),
            ("beta_max", List(grid.BetaMax)),
            ("tau", List(grid.Tau)),
            ("eta", List(grid.Eta)),
            ("dynamics", List(grid.Dynamics)),
            ("init_std", List(grid.InitStd)),
            ("bias_mode", List(grid.BiasMode)),
            ("seeds", grid.Seeds.Count <= 12 ? List(grid.Seeds) : string.Create(CultureInfo.InvariantCulture, $"{grid.Seeds.Count} seeds: {grid.Seeds[0]} ... {grid.Seeds[^1]}")),
        ]);
        if (grid.Family is null)
        {
            fields.Add(("theory", Text(grid.Theory)));
            fields.Add(("loss", grid.Loss.ToString().ToLowerInvariant()));
        }

        // A family setting the grid leaves out takes the spec's default (docs/generalisation.md).
        fields.AddRange(grid.FamilyAxes.Select(a => (a.Key, List(a.Values))));
        if (grid.Zip.Count > 0)
        {
            fields.Add(("zip", List(grid.Zip.Select(g => "[" + string.Join(", ", g) + "]"))));
        }

        return fields;
    }

    private static string Spectrum(Model.Configuration.SpectrumSpec s) =>
        s.File is not null ? $"file {s.File}" : string.Create(CultureInfo.InvariantCulture, $"{s.Kind.ToString().ToLowerInvariant()}{(s.K != 0 ? $" k={s.K:R}" : string.Empty)}");

    private static string List<T>(IEnumerable<T> values) => "[" + string.Join(", ", values.Select(v => Text(v))) + "]";

    private static string Text<T>(T value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
