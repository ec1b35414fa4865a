using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;

using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// A validated grid file: every axis with its values (defaults filled in, integer axes rounded, repeated values
/// removed). Only <see cref="GridFile"/> makes one, so a <see cref="Grid"/> always expands without errors.
/// The grid points are the product of the axes, except that the axes of one <see cref="Zip"/> group vary together.
/// </summary>
public sealed class Grid
{
    internal Grid()
    {
    }

    /// <summary>The grid file as it was named to the loader.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>The file's text (its hash is the sweep's grid hash).</summary>
    public string Text { get; internal init; } = string.Empty;

    /// <summary>The sweep id: the name key, or the file name without its extension.</summary>
    public string Name { get; internal init; } = string.Empty;

    public IReadOnlyList<int> D { get; internal init; } = [];

    /// <summary>Training-set sizes, or null when the grid gives <see cref="NOverD"/> instead.</summary>
    public IReadOnlyList<int>? N { get; internal init; }

    /// <summary>N/d ratios (N = round(n_over_d * d), half to even), or null when the grid gives N.</summary>
    public IReadOnlyList<double>? NOverD { get; internal init; }

    /// <summary>Population spectra; file spectra carry their content hash.</summary>
    public IReadOnlyList<SpectrumSpec> Spectra { get; internal init; } = [];

    /// <summary>The text of every eigenvalue file the grid uses, by content hash.</summary>
    public IReadOnlyDictionary<string, string> SpectrumFiles { get; internal init; } = new Dictionary<string, string>();

    public IReadOnlyList<double> C { get; internal init; } = [];

    public IReadOnlyList<int> T { get; internal init; } = [];

    public IReadOnlyList<double> BetaMin { get; internal init; } = [];

    public IReadOnlyList<double> BetaMax { get; internal init; } = [];

    /// <summary>Training times; +infinity is the converged model.</summary>
    public IReadOnlyList<double> Tau { get; internal init; } = [];

    public IReadOnlyList<double> Eta { get; internal init; } = [];

    public IReadOnlyList<Dynamics> Dynamics { get; internal init; } = [];

    public IReadOnlyList<double> InitStd { get; internal init; } = [];

    public IReadOnlyList<BiasMode> BiasMode { get; internal init; } = [];

    public IReadOnlyList<bool> SamplerLastNoise { get; internal init; } = [];

    public IReadOnlyList<bool> AsymptoticTheory { get; internal init; } = [];

    public IReadOnlyList<int> SpectralGrid { get; internal init; } = [];

    /// <summary>The time steps every cell reports (the t-average is always reported too).</summary>
    public IReadOnlyList<int> ReportedSteps { get; internal init; } = [];

    /// <summary>Which losses the exports show.</summary>
    public LossSelection Loss { get; internal init; } = LossSelection.Both;

    /// <summary>The seed of every training-set draw: seed0, seed0 + 1, ... or the explicit values.</summary>
    public IReadOnlyList<long> Seeds { get; internal init; } = [];

    /// <summary>Whether every grid point also gets a theory cell.</summary>
    public bool Theory { get; internal init; } = true;

    /// <summary>Groups of axes that vary together (axis names as in the file; the k short form is "spectrum").</summary>
    public IReadOnlyList<IReadOnlyList<string>> Zip { get; internal init; } = [];

    /// <summary>The report section as raw YAML text, or null; it is not interpreted here.</summary>
    public string? Report { get; internal init; }

    /// <summary>The generalisation family of every cell (repro, gl, bound, molrg), or null for the paper's simulation and theory cells.</summary>
    public CellKind? Family { get; internal init; }

    /// <summary>The family's own axes (<see cref="Families.FamilyKeys"/>) in the order of that list; values are long, double, string or bool.</summary>
    public IReadOnlyList<FamilyAxis> FamilyAxes { get; internal init; } = [];

    /// <summary>The key the file gives the spectra under ("spectrum", or "k" for the short form), for messages.</summary>
    internal string SpectrumKey { get; init; } = GridKeys.Spectrum;
}

/// <summary>One axis of a family setting: its key and its values (long, double, string or bool).</summary>
public sealed record FamilyAxis(string Key, IReadOnlyList<object> Values);
