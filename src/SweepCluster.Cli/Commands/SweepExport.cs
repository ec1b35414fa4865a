using SweepCluster.Storage;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Cli.Commands;

/// <summary>Reads a sweep out of the store and writes its export files: the one bridge from storage to exporters.</summary>
public static class SweepExport
{
    public static async Task<SweepExportData> LoadAsync(ISweepStore store, string sweepId, LossSelection losses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cells = await store.GetCellsAsync(sweepId, cancellationToken).ConfigureAwait(false);
        var units = await store.GetUnitsAsync(sweepId, cancellationToken).ConfigureAwait(false);
        var nonDeterministic = (await store.GetNonDeterminismAsync(sweepId, cancellationToken).ConfigureAwait(false))
            .Select(n => n.CellId)
            .ToHashSet(StringComparer.Ordinal);
        var exportCells = cells.Select(c => new ExportCell(
            c.Cell,
            c.Result?.Status,
            c.Result is null || c.Result.MetricsJson.Length == 0 ? null : MetricsJson.Read(c.Result.MetricsJson),
            c.Result?.Message,
            nonDeterministic.Contains(c.Cell.Id))).ToArray();
        var exportUnits = units.Select(u => new ExportUnit(u.UnitId, u.Kind == Sweeps.Units.UnitKind.Theory ? "theory" : "sim", u.State, u.Owner, u.Attempts, u.LastError, u.StartedAt, u.FinishedAt, u.Cost, u.Cells)).ToArray();
        return new SweepExportData(sweepId, exportCells, exportUnits, losses);
    }

    public static async Task<string> WriteAsync(ISweepStore store, string sweepId, string directory, string format, LossSelection losses, CancellationToken cancellationToken)
    {
        var exporter = SweepExporters.Get(format);
        var data = await LoadAsync(store, sweepId, losses, cancellationToken).ConfigureAwait(false);
        exporter.Export(data, directory);
        return Path.GetFullPath(directory);
    }
}
