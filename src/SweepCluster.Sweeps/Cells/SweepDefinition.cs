using SweepCluster.Sweeps.Units;

namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// A validated, expanded grid: what `submit` writes. Writing the same definition twice changes nothing;
/// writing an edited grid under the same sweep id adds its new cells and units.
/// </summary>
/// <param name="Id">The sweep id (the grid's name unless the grid sets one).</param>
/// <param name="GridHash">Hash of the grid file's text.</param>
/// <param name="GridText">The grid file itself, kept for provenance and reports.</param>
/// <param name="Cells">Every cell of the grid (simulation cells per seed, and theory cells).</param>
/// <param name="Spectra">Eigenvalue files by content hash, so that workers anywhere can rebuild file spectra.</param>
/// <param name="GridFile">The grid file's full path when it came from one, for provenance (the submission's journal line).</param>
public sealed record SweepDefinition(
    string Id,
    string GridHash,
    string GridText,
    IReadOnlyList<CellDefinition> Cells,
    IReadOnlyDictionary<string, string> Spectra,
    string? GridFile = null);
