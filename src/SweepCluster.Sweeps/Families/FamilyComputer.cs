using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation;
using SweepCluster.Model.Generalisation.Bound;
using SweepCluster.Model.Generalisation.Memorisation;
using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Families;

/// <summary>
/// Computes one configuration of a generalisation family from the linear model's settings and the family's own
/// (<see cref="FamilyKeys"/>; an absent setting takes the spec's default): repro (S-12), gl (S-13), bound (S-14),
/// molrg (S-15: K-subspaces recovery of one (r, Nk) cell, or K = 1 through the linear model). The sweep engine and
/// `sweep cell --reference` both come here, so a cell of a sweep and a configuration of a reference file agree.
/// </summary>
public static class FamilyComputer
{
    /// <exception cref="ArgumentException">A setting the family does not allow (the message names it).</exception>
    public static GeneralisationValues Compute(
        CellKind family, ModelConfig model, FamilySettings settings, Func<SpectrumSpec, int, Spectrum> spectra, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(spectra);
        ArgumentNullException.ThrowIfNull(algebra);
        return family switch
        {
            CellKind.Repro => ReproducibilityExperiment.Run(Repro(model, settings), spectra(model.Spectrum, model.D), algebra).ToValues(),
            CellKind.Gl => MemorisationExperiment.Run(Gl(model, settings), spectra(model.Spectrum, model.D), algebra).ToValues(),
            CellKind.Bound => KsmBound.Run(Bound(model, settings), spectra(model.Spectrum, model.D), algebra).ToValues(),
            CellKind.Molrg when !FamilyKeys.IsSubspaces(family, settings) => MolrgLinearModel.Run(MolrgLinear(model, settings), algebra).ToValues(),
            CellKind.Molrg => MolrgHeatmap.Run(Heatmap(model, settings, [settings.Get(FamilyKeys.R, 1)], [settings.Get(FamilyKeys.Nk, 1)]), algebra).ToValues(),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "not a generalisation family"),
        };
    }

    public static ReproducibilityConfig Repro(ModelConfig model, FamilySettings settings) => new()
    {
        Model = model,
        Sampler = settings.Name(FamilyKeys.Sampler) == "ode" ? Sampler.Ode : Sampler.Ddpm,
        Pairs = settings.Get(FamilyKeys.Pairs, 1),
        Draws = settings.Get(FamilyKeys.Draws, 500),
        NoiseSeed = (ulong)settings.Get(FamilyKeys.NoiseSeed, (long)NoiseBlocks.NoiseSeed),
    };

    public static MemorisationConfig Gl(ModelConfig model, FamilySettings settings) => new()
    {
        Model = model,
        Draws = settings.Get(FamilyKeys.Draws, 200),
        NoiseSeed = (ulong)settings.Get(FamilyKeys.NoiseSeed, (long)NoiseBlocks.NoiseSeed),
        FreshSeed = (ulong)settings.Get(FamilyKeys.FreshSeed, (long)NoiseBlocks.FreshSeed),
    };

    public static BoundConfig Bound(ModelConfig model, FamilySettings settings) =>
        new(model) { LogStep = settings.Get(FamilyKeys.LogStep, BoundConfig.DefaultLogStep) };

    public static MolrgLinearConfig MolrgLinear(ModelConfig model, FamilySettings settings) =>
        new(model, settings.Get(FamilyKeys.R, 1), settings.Get(FamilyKeys.Delta, MolrgLinearConfig.DefaultDelta));

    /// <summary>The heatmap of the given rows and columns; the model gives d and seed0, the settings the rest.</summary>
    public static MolrgHeatmapConfig Heatmap(ModelConfig model, FamilySettings settings, IReadOnlyList<int> ranks, IReadOnlyList<int> samplesPerComponent)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new MolrgHeatmapConfig();
        return new MolrgHeatmapConfig
        {
            D = model.D,
            K = settings.Get(FamilyKeys.K, defaults.K),
            RankList = ranks,
            SamplesPerComponentList = samplesPerComponent,
            Delta = settings.Get(FamilyKeys.Delta, defaults.Delta),
            Orthogonal = settings.Get(FamilyKeys.Orthogonal, defaults.Orthogonal),
            Trials = settings.Get(FamilyKeys.Trials, defaults.Trials),
            Restarts = settings.Get(FamilyKeys.Restarts, defaults.Restarts),
            MaxIterations = settings.Get(FamilyKeys.MaxIter, defaults.MaxIterations),
            Threshold = settings.Get(FamilyKeys.Threshold, defaults.Threshold),
            Seed0 = model.Seed0,
        };
    }
}
