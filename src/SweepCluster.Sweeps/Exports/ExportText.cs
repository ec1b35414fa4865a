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

    /// <summary>The stored spelling of a result status; empty while the cell is not computed.</summary>
    public static string Status(ResultStatus? status) => status switch
    {
        null => string.Empty,
        ResultStatus.Ok => "ok",
        ResultStatus.NumericalFailure => "numerical_failure",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown result status"),
    };
}
