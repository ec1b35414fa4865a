namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// The three files every format writes (cells, runs, summary), each named after the format, from one table that
/// is streamed from the data: a format says only how a row is written.
/// </summary>
public abstract class TableExporter : ISweepExporter
{
    public abstract string Name { get; }

    public void Export(SweepExportData data, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        using var table = new ExportTable(data, directory);
        WriteCells(table, Path.Combine(directory, $"cells.{Name}"));
        WriteRuns(table, Path.Combine(directory, $"runs.{Name}"));
        WriteSummary(table, Path.Combine(directory, $"summary.{Name}"));
    }

    private protected abstract void WriteCells(ExportTable table, string path);

    private protected abstract void WriteRuns(ExportTable table, string path);

    private protected abstract void WriteSummary(ExportTable table, string path);
}
