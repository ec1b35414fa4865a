namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Maps data values in [<see cref="DomainMin"/>, <see cref="DomainMax"/>] to pixels in
/// [<see cref="RangeStart"/>, <see cref="RangeEnd"/>] and back. A range may run backwards (a y axis has its
/// start at the bottom, the larger pixel), so no caller needs to flip coordinates itself.
/// </summary>
public abstract class Scale
{
    protected Scale(double domainMin, double domainMax, double rangeStart, double rangeEnd)
    {
        if (!double.IsFinite(domainMin) || !double.IsFinite(domainMax) || !(domainMax > domainMin))
        {
            throw new ArgumentException($"a scale needs a finite domain with max > min, got [{domainMin}, {domainMax}]", nameof(domainMax));
        }

        if (!double.IsFinite(rangeStart) || !double.IsFinite(rangeEnd) || rangeStart == rangeEnd)
        {
            throw new ArgumentException($"a scale needs a finite, non-empty pixel range, got [{rangeStart}, {rangeEnd}]", nameof(rangeEnd));
        }

        DomainMin = domainMin;
        DomainMax = domainMax;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
    }

    public double DomainMin { get; }

    public double DomainMax { get; }

    /// <summary>The pixel of <see cref="DomainMin"/>.</summary>
    public double RangeStart { get; }

    /// <summary>The pixel of <see cref="DomainMax"/>.</summary>
    public double RangeEnd { get; }

    /// <summary>Whether the value has a position on this scale at all (finite; positive on a log scale).</summary>
    public abstract bool CanMap(double value);

    /// <summary>The pixel of a value; values outside the domain map outside the range (no clamping).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value cannot be mapped (see <see cref="CanMap"/>).</exception>
    public abstract double Map(double value);

    /// <summary>The value at a pixel: the inverse of <see cref="Map"/>.</summary>
    public abstract double Invert(double pixel);

    /// <summary>The ticks inside the domain, in increasing order; <paramref name="target"/> is the rough number of labelled ticks wanted.</summary>
    public abstract IReadOnlyList<Tick> Ticks(int target = 6);

    /// <summary>Whether a value lies in the domain (with a little tolerance for rounding at the ends).</summary>
    public bool Contains(double value)
    {
        if (!CanMap(value))
        {
            return false;
        }

        double position = Fraction(value);
        return position >= -1e-9 && position <= 1 + 1e-9;
    }

    /// <summary>Position of a value along the domain: 0 at the minimum, 1 at the maximum.</summary>
    protected abstract double Fraction(double value);

    protected double Pixel(double fraction) => RangeStart + (fraction * (RangeEnd - RangeStart));

    protected double FractionOfPixel(double pixel) => (pixel - RangeStart) / (RangeEnd - RangeStart);
}
