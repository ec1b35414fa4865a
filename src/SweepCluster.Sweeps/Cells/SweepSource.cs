namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// A <see cref="SweepDefinition"/> whose cells are made as they are read (<c>GridExpander.Source</c>), for grids too
/// large to hold: the store writes them in batches and plans the units as they pass.
/// </summary>
/// <param name="Id">The sweep id.</param>
/// <param name="GridHash">Hash of the grid file's text.</param>
/// <param name="GridText">The grid file itself.</param>
/// <param name="Cells">Every cell of the grid, each once; read once.</param>
/// <param name="Spectra">Eigenvalue files by content hash.</param>
/// <param name="GridFile">The grid file's full path when it came from one, for provenance (the submission's journal line).</param>
public sealed record SweepSource(
    string Id,
    string GridHash,
    string GridText,
    IEnumerable<CellDefinition> Cells,
    IReadOnlyDictionary<string, string> Spectra,
    string? GridFile = null);
