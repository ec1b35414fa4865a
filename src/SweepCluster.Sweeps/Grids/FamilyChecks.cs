using System.Globalization;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// The checks of a family grid point that need several settings together (spec S-12.6, S-13.2, S-15.4, S-15.5), then
/// the experiment's own validation, so that nothing a family refuses reaches a worker (`sweep cell --family` checks
/// its options here too).
/// </summary>
public static class FamilyChecks
{
    /// <summary>The problems of one point as (grid key, message); N is the cell's N (K Nk for K-subspaces).</summary>
    public static IEnumerable<(string Key, string Message)> Problems(CellKind family, GridPoint point)
    {
        var model = point.Config;
        var s = point.Family;
        var problems = new List<(string, string)>();
        switch (family)
        {
            case CellKind.Repro when s.Name(FamilyKeys.Sampler) == "ode" && !model.IsConverged:
                problems.Add((FamilyKeys.Sampler, $"the ode sampler is the probability-flow map of a converged model and needs tau = inf, got tau = {Num(model.Tau)} (use sampler: ddpm for a finite training time)"));
                break;
            case CellKind.Gl when s.Get(FamilyKeys.Draws, 200) < 1:
                problems.Add((FamilyKeys.Draws, "gl scores need at least one draw per generator; draws must be >= 1"));
                break;
            case CellKind.Molrg:
                int k = s.Get(FamilyKeys.K, 2);
                int r = s.Get(FamilyKeys.R, 1);
                if (r > model.D)
                {
                    problems.Add((FamilyKeys.R, $"r = {r} exceeds d = {model.D}; a component's rank is at most d"));
                }
                else if (k >= 2 && s.Get(FamilyKeys.Orthogonal, true) && k * r > model.D)
                {
                    problems.Add((FamilyKeys.R, $"K r = {k * r} exceeds d = {model.D}: K orthogonal rank-r bases need K r <= d (lower r or K, raise d, or set orthogonal: false)"));
                }

                if (k == 1 && !(s.Get(FamilyKeys.Delta, 1e-3) > 0))
                {
                    problems.Add((FamilyKeys.Delta, "K = 1 needs a floor delta > 0 (S-15.5: with delta = 0 the data are singular and every KL is infinite); the default is 1e-3"));
                }

                break;
        }

        if (problems.Count == 0 && model.InitStd != 0)
        {
            problems.Add((GridKeys.InitStd, $"init_std must be 0 in a {CellKindNames.ToName(family)} grid: a sampled model needs a definite W_0 (got {Num(model.InitStd)})"));
        }

        if (problems.Count == 0)
        {
            try
            {
                Validate(family, model, s);
            }
            catch (ArgumentException e)
            {
                problems.Add((GridKey(e.ParamName), Message(e)));
            }
        }

        return problems;
    }

    private static void Validate(CellKind family, Model.Configuration.ModelConfig model, FamilySettings s)
    {
        switch (family)
        {
            case CellKind.Repro:
                FamilyComputer.Repro(model, s).Validate();
                break;
            case CellKind.Gl:
                FamilyComputer.Gl(model, s).Validate();
                break;
            case CellKind.Bound:
                FamilyComputer.Bound(model, s).Validate();
                break;
            case CellKind.Molrg when FamilyKeys.IsSubspaces(family, s):
                FamilyComputer.Heatmap(model, s, [s.Get(FamilyKeys.R, 1)], [s.Get(FamilyKeys.Nk, 1)]).Validate();
                break;
        }
    }

    /// <summary>An experiment's refusal in words, without the parameter name .NET appends (the caller names the key).</summary>
    public static string Message(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Message.Split(" (Parameter", 2)[0];
    }

    /// <summary>The grid key of an experiment setting's property name.</summary>
    private static string GridKey(string? property) => property switch
    {
        "Sampler" => FamilyKeys.Sampler,
        "Pairs" => FamilyKeys.Pairs,
        "Draws" => FamilyKeys.Draws,
        "LogStep" => FamilyKeys.LogStep,
        "K" => FamilyKeys.K,
        "RankList" => FamilyKeys.R,
        "SamplesPerComponentList" => FamilyKeys.Nk,
        "Delta" => FamilyKeys.Delta,
        "Trials" => FamilyKeys.Trials,
        "Restarts" => FamilyKeys.Restarts,
        "MaxIterations" => FamilyKeys.MaxIter,
        "Threshold" => FamilyKeys.Threshold,
        "D" => GridKeys.D,
        _ => GridKeys.Family,
    };

    private static string Num(double v) => v.ToString("g6", CultureInfo.InvariantCulture);
}
