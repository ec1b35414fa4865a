namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// A base-10 logarithmic scale. Ticks: powers of ten (labelled), with minor ticks at 2..9 times each power;
/// over many decades only every few powers are labelled; over two decades or less the 2 and 5 marks are
/// labelled too, and within less than a decade every mark, so that an axis always has numbers to read.
/// </summary>
public sealed class LogScale : Scale
{
    private const int MaxMinorDecades = 7;

    public LogScale(double domainMin, double domainMax, double rangeStart, double rangeEnd)
        : base(domainMin, domainMax, rangeStart, rangeEnd)
    {
        if (!(domainMin > 0))
        {
            throw new ArgumentException($"a log scale needs a positive domain, got [{domainMin}, {domainMax}]", nameof(domainMin));
        }
    }

    /// <summary>
    /// A scale whose domain covers [<paramref name="min"/>, <paramref name="max"/>] (both positive) with a
    /// margin of a few percent of its decades, so that points at the ends are not cut by the frame.
    /// </summary>
    public static LogScale Padded(double min, double max, double rangeStart, double rangeEnd)
    {
        if (!(min > 0) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException($"expected 0 < min <= max, got [{min}, {max}]", nameof(min));
        }

        double lo = Math.Log10(min);
        double hi = Math.Log10(max);
        double pad = Math.Max(0.04 * (hi - lo), 0.05);
        if (hi == lo)
        {
            pad = 0.5;
        }

        return new LogScale(Math.Pow(10, lo - pad), Math.Pow(10, hi + pad), rangeStart, rangeEnd);
    }

    public override bool CanMap(double value) => double.IsFinite(value) && value > 0;

    public override double Map(double value)
    {
        if (!CanMap(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a log scale maps only finite positive values");
        }

        return Pixel(Fraction(value));
    }

    public override double Invert(double pixel)
    {
        double lo = Math.Log10(DomainMin);
        double hi = Math.Log10(DomainMax);
        return Math.Pow(10, lo + (FractionOfPixel(pixel) * (hi - lo)));
    }

    public override IReadOnlyList<Tick> Ticks(int target = 6)
    {
        double lo = Math.Log10(DomainMin);
        double hi = Math.Log10(DomainMax);
        int firstPower = (int)Math.Ceiling(lo - 1e-9);
        int lastPower = (int)Math.Floor(hi + 1e-9);
        int powers = lastPower - firstPower + 1;
        int every = Math.Max(1, (int)Math.Ceiling(powers / (double)Math.Max(2, target + 2)));

        var ticks = new SortedDictionary<double, Tick>();
        var majorExponents = new List<int>();
        for (int e = firstPower; e <= lastPower; e++)
        {
            if (every == 1 || e % every == 0)
            {
                majorExponents.Add(e);
            }
        }

        // Decimal labels while they stay short, powers of ten otherwise; one style per axis reads best.
        bool plain = majorExponents.Count > 0 && majorExponents.All(e => e is >= -2 and <= 3);
        foreach (int e in majorExponents)
        {
            double value = Decimal(1, e);
            ticks[value] = new Tick(value, true, plain ? TickLabel.Plain(value, Math.Max(0, -e)) : TickLabel.PowerOfTen(e));
        }

        if (every > 1)
        {
            // Too many decades for 2..9 marks: the unlabelled powers are the minor ticks.
            for (int e = firstPower; e <= lastPower; e++)
            {
                double value = Decimal(1, e);
                ticks.TryAdd(value, new Tick(value, false, null));
            }

            return [.. ticks.Values];
        }

        if (hi - lo > MaxMinorDecades)
        {
            return [.. ticks.Values];
        }

        // With two labelled powers or fewer the axis also gets numbers at the 2 and 5 marks (a two-decade axis
        // would otherwise read "100, 1000" only), or at every mark when the domain is too narrow for those to
        // give two labels.
        var minors = new List<(double Value, int Mantissa, int Exponent)>();
        for (int e = (int)Math.Floor(lo); e <= lastPower; e++)
        {
            for (int m = 2; m <= 9; m++)
            {
                double value = Decimal(m, e);
                if (Contains(value))
                {
                    minors.Add((value, m, e));
                }
            }
        }

        // Two powers written as 10^e leave no room for "2×10^e" labels between them.
        Func<int, bool> labelled = majorExponents.Count > 2 || (majorExponents.Count == 2 && !plain)
            ? _ => false
            : majorExponents.Count + minors.Count(t => t.Mantissa is 2 or 5) >= 2
                ? m => m is 2 or 5
                : _ => true;
        foreach (var (value, m, e) in minors)
        {
            bool withLabel = labelled(m);
            TickLabel? label = !withLabel ? null : e is >= -3 and <= 4 ? TickLabel.Plain(value, Math.Max(0, -e)) : TickLabel.Scientific(value);
            ticks.TryAdd(value, new Tick(value, withLabel, label));
        }

        return [.. ticks.Values];
    }

    protected override double Fraction(double value)
    {
        double lo = Math.Log10(DomainMin);
        return (Math.Log10(value) - lo) / (Math.Log10(DomainMax) - lo);
    }

    // m * 10^e as the double nearest the decimal number (division by an exact power of ten).
    private static double Decimal(int mantissa, int exponent) => exponent >= 0
        ? mantissa * Math.Pow(10, exponent)
        : mantissa / Math.Pow(10, -exponent);
}
