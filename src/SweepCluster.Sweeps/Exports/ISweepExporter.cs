namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// Writes a sweep's cells, runs and seed summary in one format. Exports are pure functions of the data:
/// the same grid and results give byte-identical files, and every file is replaced atomically.
/// </summary>
public interface ISweepExporter
{
    /// <summary>The format name as users type it (e.g. "csv").</summary>
    string Name { get; }

    /// <summary>Writes the files into <paramref name="directory"/>, creating it if needed.</summary>
    void Export(SweepExportData data, string directory);
}
