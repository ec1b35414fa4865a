using System.Globalization;

namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// A tick label: a plain number ("0.01"), or a mantissa times a power of ten that SVG shows with a
/// superscript exponent ("10" + superscript "-2", or "2×10" + superscript "5").
/// </summary>
/// <param name="Mantissa">The text before the power of ten, or the whole label when <paramref name="Exponent"/> is null; "1" alone means a bare power of ten.</param>
/// <param name="Exponent">The power of ten, or null for a plain number.</param>
public sealed record TickLabel(string Mantissa, int? Exponent)
{
    /// <summary>The label as one line of text, with "^" before the exponent ("10^-2", "2×10^5").</summary>
    public string Text => Exponent is not { } e ? Mantissa : $"{Base}^{e.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The part written on the baseline when there is an exponent: "10" or "2×10".</summary>
    public string Base => Mantissa == "1" ? "10" : Mantissa + "×10";

    /// <summary>A number with a fixed count of decimals (no "-0").</summary>
    public static TickLabel Plain(double value, int decimals)
    {
        string text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return new TickLabel(IsNegativeZero(text) ? text[1..] : text, null);
    }

    public static TickLabel PowerOfTen(int exponent) => new("1", exponent);

    /// <summary>Mantissa (up to three significant digits) times a power of ten; zero stays "0".</summary>
    public static TickLabel Scientific(double value)
    {
        if (value == 0)
        {
            return new TickLabel("0", null);
        }

        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double mantissa = value / Math.Pow(10, exponent);

        // Rounding can carry the mantissa to 10 (9.9996 -> "10"): move that to the exponent.
        if (Math.Abs(Math.Round(mantissa, 2)) >= 10)
        {
            exponent++;
            mantissa /= 10;
        }

        return new TickLabel(Math.Round(mantissa, 2).ToString("0.##", CultureInfo.InvariantCulture), exponent);
    }

    private static bool IsNegativeZero(string text) => text.StartsWith('-') && text.Skip(1).All(c => c is '0' or '.');
}
