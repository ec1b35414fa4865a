namespace SweepCluster.Sweeps.Exports;

/// <summary>The available export formats, by name (what a --format option accepts).</summary>
public static class SweepExporters
{
    public static IReadOnlyList<ISweepExporter> All { get; } = [new CsvSweepExporter(), new JsonLinesSweepExporter(), new ParquetSweepExporter()];

    public static ISweepExporter Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(e => e.Name == name)
            ?? throw new ArgumentException($"unknown export format '{name}' (expected {string.Join(", ", All.Select(e => e.Name))})", nameof(name));
    }
}
