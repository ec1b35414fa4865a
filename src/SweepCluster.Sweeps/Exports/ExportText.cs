using System.Globalization;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Exports;

/// <summary>How values are spelled in every export, so that csv and jsonl agree and never depend on the culture.</summary>
internal static class ExportText
{
    /// <summary>Invariant round-trip form; non-finite values as "inf", "-inf", "nan" (the spelling of MetricsJson).</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>An undefined value is an empty field.</summary>
    public static string Number(double? value) => value is { } v ? Number(v) : string.Empty;

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A store time (seconds since the epoch, database clock) as a UTC instant, to the millisecond.</summary>
    public static DateTime? UtcTime(double? epochSeconds) =>
        epochSeconds is { } s ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(s * 1000)).UtcDateTime : null;

    /// <summary>ISO 8601 in UTC with milliseconds ("2026-12-04T13:16:00.250Z"), as pandas, polars and DuckDB parse it; null when unknown.</summary>
    public static string? Time(double? epochSeconds) =>
        UtcTime(epochSeconds)?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stored spelling of a result status; empty while the cell is not computed.</summary>
    public static string Status(ResultStatus? status) => status switch
    {
        null => string.Empty,
        ResultStatus.Ok => "ok",
        ResultStatus.NumericalFailure => "numerical_failure",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown result status"),
    };
}
