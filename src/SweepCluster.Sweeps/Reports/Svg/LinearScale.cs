namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>A linear scale with "nice" ticks: steps of 1, 2 or 5 times a power of ten.</summary>
public sealed class LinearScale : Scale
{
    public LinearScale(double domainMin, double domainMax, double rangeStart, double rangeEnd)
        : base(domainMin, domainMax, rangeStart, rangeEnd)
    {
    }

    /// <summary>
    /// A scale whose domain covers [<paramref name="min"/>, <paramref name="max"/>] and ends on tick values,
    /// so the axis starts and ends with a label. A single value gets a small domain around it.
    /// </summary>
    public static LinearScale Nice(double min, double max, double rangeStart, double rangeEnd, int target = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException($"expected finite min <= max, got [{min}, {max}]", nameof(max));
        }

        if (max == min)
        {
            double half = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - half, max + half);
        }

        var step = TickStep.Choose(min, max, target);
        double lo = step.Value(Math.Floor((min / step.Size) + 1e-9));
        double hi = step.Value(Math.Ceiling((max / step.Size) - 1e-9));
        return new LinearScale(lo, hi, rangeStart, rangeEnd);
    }

    public override bool CanMap(double value) => double.IsFinite(value);

    public override double Map(double value)
    {
        if (!CanMap(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a linear scale maps only finite values");
        }

        return Pixel(Fraction(value));
    }

    public override double Invert(double pixel) => DomainMin + (FractionOfPixel(pixel) * (DomainMax - DomainMin));

    public override IReadOnlyList<Tick> Ticks(int target = 6)
    {
        var step = TickStep.Choose(DomainMin, DomainMax, Math.Max(2, target));
        long first = (long)Math.Ceiling((DomainMin / step.Size) - 1e-9);
        long last = (long)Math.Floor((DomainMax / step.Size) + 1e-9);

        // A domain whose width is near the rounding of its ends (1e6 to 1e6 + 1e-9) has no computable step
        // multiples: the count above is then meaningless, and the ends are the only honest labels.
        if (last - first > 100 * target || last < first)
        {
            return [new Tick(DomainMin, true, TickLabel.Scientific(DomainMin)), new Tick(DomainMax, true, TickLabel.Scientific(DomainMax))];
        }

        bool scientific = step.Exponent < -4 || Math.Max(Math.Abs(DomainMin), Math.Abs(DomainMax)) >= 1e6;
        var ticks = new List<Tick>();
        for (long i = first; i <= last; i++)
        {
            double value = step.Value(i);
            ticks.Add(new Tick(value, true, scientific ? TickLabel.Scientific(value) : TickLabel.Plain(value, Math.Max(0, -step.Exponent))));
        }

        return ticks;
    }

    protected override double Fraction(double value) => (value - DomainMin) / (DomainMax - DomainMin);

    /// <summary>A tick step m * 10^e with m in {1, 2, 5}; multiples are computed so that 0.1 * 3 prints as 0.3.</summary>
    private readonly record struct TickStep(int Mantissa, int Exponent)
    {
        public double Size => Value(1);

        public static TickStep Choose(double min, double max, int target)
        {
            double raw = (max - min) / target;
            int exponent = (int)Math.Floor(Math.Log10(raw));
            TickStep best = default;
            double bestMiss = double.PositiveInfinity;

            // Of the 1-2-5 steps around the raw step, the one whose tick count comes closest to the target;
            // on a tie the larger step, because fewer labels read better than crowded ones.
            for (int e = exponent - 1; e <= exponent + 1; e++)
            {
                foreach (int m in new[] { 1, 2, 5 })
                {
                    var step = new TickStep(m, e);
                    double count = Math.Floor((max / step.Size) + 1e-9) - Math.Ceiling((min / step.Size) - 1e-9) + 1;
                    double miss = Math.Abs(count - target);
                    if (miss < bestMiss || (miss == bestMiss && step.Size > best.Size))
                    {
                        (best, bestMiss) = (step, miss);
                    }
                }
            }

            return best;
        }

        // Dividing by an exact power of ten (rather than multiplying by an inexact 10^-e) gives the double
        // nearest to the decimal value, so ticks print and compare as the numbers they stand for.
        public double Value(double multiple) => Exponent >= 0
            ? multiple * Mantissa * Math.Pow(10, Exponent)
            : multiple * Mantissa / Math.Pow(10, -Exponent);
    }
}
