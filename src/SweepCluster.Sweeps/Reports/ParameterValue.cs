using System.Globalization;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// The value of one grid axis at one grid point: a number (N, c, tau = +infinity, ...) or a name (a spectrum,
/// the dynamics). Numbers sort by value before names, names ordinally, so axes list in their natural order.
/// </summary>
/// <param name="Number">The value of a numeric axis; null for a named one.</param>
/// <param name="Text">How it is shown ("0.0001", "inf", "powerlaw k=1").</param>
internal readonly record struct ParameterValue(double? Number, string Text) : IComparable<ParameterValue>
{
    public static ParameterValue Of(double number) => new(number, Format(number));

    public static ParameterValue Of(string text) => new(null, text);

    /// <summary>Short, invariant spelling of a parameter: six significant digits, "inf" for infinity.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
    };

    public int CompareTo(ParameterValue other) => (Number, other.Number) switch
    {
        ({ } a, { } b) => a.CompareTo(b),
        (not null, null) => -1,
        (null, not null) => 1,
        _ => string.CompareOrdinal(Text, other.Text),
    };

    public override string ToString() => Text;
}
