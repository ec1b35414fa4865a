using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// <see cref="SeedAggregator.Aggregate"/> for sweeps too large to hold: cells are added one at a time (each id
/// once, in any order), and the summaries come out in the same order with the same bits. A grid point's cells are
/// scattered through the store's id order, so past a few thousand cells they are written to temporary files, one
/// per leading byte of their grid point key; the files are then summarised one by one in key order, and only one
/// file's cells (a 256th of the sweep) are in memory at a time.
/// </summary>
public sealed class SeedSummaries : IDisposable
{
    /// <summary>Cells kept in memory before the first file is written.</summary>
    public const int DefaultMemoryCells = 20_000;

    private const int Buckets = 256;
    private const int BufferBytes = 16 * 1024;

    private readonly string _parent;
    private readonly int _memoryCells;
    private readonly List<ExportCell> _held = [];
    private readonly BinaryWriter?[] _writers = new BinaryWriter?[Buckets];
    private string? _directory;
    private bool _read;

    /// <param name="temporaryDirectory">Where the files go (a fresh folder inside it, deleted on dispose); default: the system's temporary folder.</param>
    /// <param name="memoryCells">Cells held in memory before they go to files.</param>
    public SeedSummaries(string? temporaryDirectory = null, int memoryCells = DefaultMemoryCells)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryCells);
        _parent = temporaryDirectory ?? Path.GetTempPath();
        _memoryCells = memoryCells;
    }

    /// <summary>
    /// <see cref="SeedAggregator.Aggregate"/> made as it is read: a collection in any order, or a sequence in id order
    /// (a store read page by page) that is read once and never held.
    /// </summary>
    public static IEnumerable<GridPointSummary> Aggregate(IEnumerable<ExportCell> cells, string? temporaryDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        using var summaries = new SeedSummaries(temporaryDirectory);
        foreach (var cell in ExportCellSet.InOrder(cells))
        {
            summaries.Add(cell);
        }

        foreach (var summary in summaries.Summaries())
        {
            yield return summary;
        }
    }

    /// <summary>Whether cells went to files (for tests).</summary>
    public bool Spilled => _directory is not null;

    public void Add(ExportCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (_read)
        {
            throw new InvalidOperationException("cells cannot be added after the summaries were read");
        }

        if (_directory is null && _held.Count < _memoryCells)
        {
            _held.Add(cell);
            return;
        }

        if (_directory is null)
        {
            _directory = Path.Combine(_parent, ".summary-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            foreach (var held in _held)
            {
                Write(held);
            }

            _held.Clear();
        }

        Write(cell);
    }

    /// <summary>One summary per grid point, ordered by grid point key (ordinal), made a file at a time. Read once.</summary>
    public IEnumerable<GridPointSummary> Summaries()
    {
        if (_read)
        {
            throw new InvalidOperationException("the summaries can be read once");
        }

        _read = true;
        if (_directory is null)
        {
            return SeedAggregator.Aggregate(_held);
        }

        CloseWriters();
        return FromFiles(_directory);
    }

    public void Dispose()
    {
        CloseWriters();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static IEnumerable<GridPointSummary> FromFiles(string directory)
    {
        for (int bucket = 0; bucket < Buckets; bucket++)
        {
            string path = BucketPath(directory, bucket);
            if (!File.Exists(path))
            {
                continue;
            }

            // Keys in one file share their first byte, so the file's sorted summaries follow the previous file's.
            foreach (var summary in SeedAggregator.Aggregate(ReadBucket(path)))
            {
                yield return summary;
            }
        }
    }

    private static List<ExportCell> ReadBucket(string path)
    {
        var cells = new List<ExportCell>();
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, BufferBytes));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var cell = CellParameters.Parse(reader.ReadString());
            byte status = reader.ReadByte();
            string metrics = reader.ReadString();
            string? message = reader.ReadBoolean() ? reader.ReadString() : null;
            bool nonDeterministic = reader.ReadBoolean();
            cells.Add(new ExportCell(
                cell,
                status == 0 ? null : (ResultStatus)status,
                metrics.Length == 0 ? null : MetricsJson.Read(metrics),
                message,
                nonDeterministic));
        }

        return cells;
    }

    private void Write(ExportCell cell)
    {
        string key = SeedAggregator.GridPointKey(cell.Cell);
        int bucket = Convert.ToInt32(key[..2], 16);
        var writer = _writers[bucket] ??= new BinaryWriter(new FileStream(BucketPath(_directory!, bucket), FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes));
        writer.Write(cell.Cell.CanonicalParameters);
        writer.Write(cell.Status is { } status ? (byte)status : (byte)0);
        writer.Write(cell.Metrics is null ? string.Empty : MetricsJson.Write(cell.Metrics));
        writer.Write(cell.Message is not null);
        if (cell.Message is not null)
        {
            writer.Write(cell.Message);
        }

        writer.Write(cell.NonDeterministic);
    }

    private void CloseWriters()
    {
        for (int i = 0; i < Buckets; i++)
        {
            _writers[i]?.Dispose();
            _writers[i] = null;
        }
    }

    private static string BucketPath(string directory, int bucket) => Path.Combine(directory, bucket.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
}
