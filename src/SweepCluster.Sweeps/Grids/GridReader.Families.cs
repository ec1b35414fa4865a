using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps.Grids;

/// <summary>The generalisation families in a grid file: the family key and the settings only a family takes.</summary>
internal sealed partial class GridReader
{
    private CellKind? _family;

    /// <summary>Model keys a family does not read, with the reason, so that a key with no effect is an error rather than ignored.</summary>
    private static IReadOnlyList<(string Key, string Why)> Ignored(CellKind family, bool subspaces) => family switch
    {
        CellKind.Repro => [(GridKeys.Seeds, "pair p trains on seeds seed0 + 2p and seed0 + 2p + 1; set pairs (and seed0)")],
        CellKind.Gl or CellKind.Bound =>
            [(GridKeys.AsymptoticTheory, "this family has no replica theory"), (GridKeys.SpectralGrid, "this family has no replica theory")],
        CellKind.Molrg when subspaces =>
        [
            .. new[]
            {
                GridKeys.N, GridKeys.NOverD, GridKeys.Spectrum, GridKeys.K, GridKeys.C, GridKeys.T, GridKeys.BetaMin, GridKeys.BetaMax,
                GridKeys.Tau, GridKeys.Eta, GridKeys.Dynamics, GridKeys.InitStd, GridKeys.BiasMode, GridKeys.SamplerLastNoise,
                GridKeys.AsymptoticTheory, GridKeys.SpectralGrid,
            }.Select(k => (k, "K-subspaces (K >= 2) reads only d, K, r, Nk, delta, orthogonal, trials, restarts, max_iter, threshold and seed0")),
            (GridKeys.Seeds, "trial q uses seed seed0 + q; set trials (and seed0)"),
        ],
        CellKind.Molrg =>
        [
            (GridKeys.Spectrum, "with K = 1 the spectrum is 1 + delta (r times) and delta (d - r times)"),
            (GridKeys.K, "with K = 1 the spectrum is 1 + delta (r times) and delta (d - r times)"),
            (FamilyKeys.Nk, "with K = 1 the training set has N samples; set N"),
        ],
        _ => [],
    };

    private void ReadFamily()
    {
        if (!_values.TryGetValue(GridKeys.Family, out var node))
        {
            return;
        }

        string allowed = string.Join(", ", CellKindNames.Families);
        if (node is YamlScalarNode { Value: { } name } && CellKindNames.Families.Contains(name))
        {
            _family = CellKindNames.Parse(name);
            return;
        }

        string? suggestion = node is YamlScalarNode { Value: { } text } ? KeySuggestions.Closest(text, [.. CellKindNames.Families]) : null;
        Error(GridKeys.Family, node, $"unknown family {Show(node)}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; allowed: {allowed} (one family per grid file)");
    }

    /// <summary>Whether the grid is MoLRG with K-subspaces (every K >= 2); K = 1 and K >= 2 cannot share a file.</summary>
    private bool Subspaces => _family == CellKind.Molrg && !(_axes.TryGetValue(FamilyKeys.K, out var k) && k.Items.Any(i => (int)i.Value == 1));

    private void ReadFamilyAxes()
    {
        foreach (var key in FamilyKeys.All)
        {
            if (!_values.ContainsKey(key.Name))
            {
                continue;
            }

            string takers = string.Join(" or ", key.Families.Select(CellKindNames.ToName));
            if (_family is not { } family)
            {
                Error(key.Name, _keys[key.Name], $"{key.Name} is a setting of the {takers} family; add 'family: {CellKindNames.ToName(key.Families[0])}' or remove it");
                _faultyKeys.Add(key.Name);
                continue;
            }

            if (!key.Families.Contains(family))
            {
                string own = string.Join(", ", FamilyKeys.Of(family).Select(k => k.Name));
                Error(key.Name, _keys[key.Name], $"{key.Name} is a setting of {takers}, not of {CellKindNames.ToName(family)}, which takes: {own}");
                _faultyKeys.Add(key.Name);
                continue;
            }

            switch (key.Type)
            {
                case FamilyValueType.WholeNumber:
                    ReadNumberAxis(key.Name, new NumberRule(true, key.IsValid, key.Allowed));
                    break;
                case FamilyValueType.RealNumber:
                    ReadNumberAxis(key.Name, NumberRule.Real(key.IsValid, key.Allowed));
                    break;
                case FamilyValueType.Name:
                    ReadNameAxis(key.Name, [.. key.Names ?? []], name => name);
                    break;
                default:
                    ReadBoolAxis(key.Name);
                    break;
            }
        }

        if (_family is not { } chosen)
        {
            return;
        }

        if (chosen == CellKind.Molrg)
        {
            RequireOne(FamilyKeys.R, null, "a molrg grid needs r (the rank of every component), e.g. 'r: [1, 2, 3]'");
            if (_axes.TryGetValue(FamilyKeys.K, out var k) && k.Items.Any(i => (int)i.Value == 1) && k.Items.Any(i => (int)i.Value >= 2))
            {
                Error(FamilyKeys.K, _keys[FamilyKeys.K], "K = 1 (the linear model on the rank-r spectrum) and K >= 2 (K-subspaces) take different settings; put them in two grid files");
                _faultyKeys.Add(FamilyKeys.K);
            }
            else if (Subspaces)
            {
                RequireOne(FamilyKeys.Nk, null, "molrg with K >= 2 needs Nk (training samples per component, N = K Nk), e.g. 'Nk: [1, 2, 4, 8]'");
            }
        }

        foreach (var (key, why) in Ignored(chosen, Subspaces))
        {
            if (_keys.TryGetValue(key, out var node))
            {
                Error(key, node, $"{key} has no effect in a {CellKindNames.ToName(chosen)} grid: {why}");
                _faultyKeys.Add(key);
            }
        }

        foreach (string key in new[] { GridKeys.Steps, GridKeys.Loss, GridKeys.Theory })
        {
            if (_keys.TryGetValue(key, out var node))
            {
                Error(key, node, $"{key} has no effect in a family grid: a {CellKindNames.ToName(chosen)} cell reports its family's values (docs/generalisation.md), with its theory where the family has one");
                _faultyKeys.Add(key);
            }
        }
    }

    /// <summary>The family's axes for the grid, in the order of <see cref="FamilyKeys.All"/>; integers as long.</summary>
    private List<FamilyAxis> FamilyAxes() =>
    [
        .. FamilyKeys.All
            .Where(k => _axes.ContainsKey(k.Name))
            .Select(k => new FamilyAxis(k.Name, [.. _axes[k.Name].Items.Select(i => i.Value is int n ? (object)(long)n : i.Value)])),
    ];

    /// <summary>N = 1 is a valid training set for repro and gl (S-12.6, S-13.2: the ratio score is then null).</summary>
    private NumberRule SamplesRule() => _family is CellKind.Repro or CellKind.Gl
        ? NumberRule.Integer(1, "an integer >= 1")
        : NumberRule.Integer(2, "an integer >= 2 (an empirical covariance needs two samples)");
}
