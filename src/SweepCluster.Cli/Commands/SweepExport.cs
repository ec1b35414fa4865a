using System.Collections;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Cli.Commands;

/// <summary>Reads a sweep out of the store and writes its export files: the one bridge from storage to exporters.</summary>
public static class SweepExport
{
    /// <summary>
    /// The sweep as the exporters read it: its cells and units are read from the store page by page each time they
    /// are enumerated, in id order, so that no command holds a whole sweep (only the ids of non-deterministic cells).
    /// </summary>
    public static async Task<SweepExportData> LoadAsync(ISweepStore store, string sweepId, LossSelection losses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var nonDeterministic = (await store.GetNonDeterminismAsync(sweepId, cancellationToken).ConfigureAwait(false))
            .Select(n => n.CellId)
            .ToHashSet(StringComparer.Ordinal);
        var cells = new StoreSequence<CellRecord, ExportCell>(() => store.ReadCellsAsync(sweepId, cancellationToken), c => new ExportCell(
            c.Cell,
            c.Result?.Status,
            c.Result is null || c.Result.MetricsJson.Length == 0 ? null : MetricsJson.Read(c.Result.MetricsJson),
            c.Result?.Message,
            nonDeterministic.Contains(c.Cell.Id)), cancellationToken);
        var units = new StoreSequence<UnitRecord, ExportUnit>(
            () => store.ReadUnitsAsync(sweepId, cancellationToken),
            u => new ExportUnit(u.UnitId, u.Kind == Sweeps.Units.UnitKind.Theory ? "theory" : "sim", u.State, u.Owner, u.Attempts, u.LastError, u.StartedAt, u.FinishedAt, u.Cost, u.Cells),
            cancellationToken);
        return new SweepExportData(sweepId, cells, units, losses);
    }

    public static async Task<string> WriteAsync(ISweepStore store, string sweepId, string directory, string format, LossSelection losses, CancellationToken cancellationToken)
    {
        var exporter = SweepExporters.Get(format);
        var data = await LoadAsync(store, sweepId, losses, cancellationToken).ConfigureAwait(false);

        // The exporters are synchronous (CsvHelper, Utf8JsonWriter on files); the pages are read on a pool thread.
        await Task.Run(() => exporter.Export(data, directory), cancellationToken).ConfigureAwait(false);
        return Path.GetFullPath(directory);
    }

    /// <summary>A store read that starts again at each enumeration, one row converted at a time.</summary>
    private sealed class StoreSequence<TRow, T>(Func<IAsyncEnumerable<TRow>> read, Func<TRow, T> convert, CancellationToken cancellationToken) : IEnumerable<T>
    {
        public IEnumerator<T> GetEnumerator() => read().ToBlockingEnumerable(cancellationToken).Select(convert).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
