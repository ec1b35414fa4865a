using System.Numerics;

namespace SweepCluster.Model.Numerics;

/// <summary>
/// exp(x) from IEEE additions, multiplications, one division and exponent bits only: the same bits on every
/// machine, and in a vector lane of any width the same bits as in scalar code, which the platform's exp does
/// not promise. The method is the classic one of fdlibm: x = k ln2 + r with |r| &lt;= ln2/2 (ln2 split so that
/// k ln2_hi is exact), then a rational approximation of exp(r); the error is below one ulp.
/// </summary>
public static class PortableExp
{
    /// <summary>The vector path covers [Lower, Upper], where the result is a normal number; lanes outside go the scalar way.</summary>
    public const double Lower = -708.0;

    public const double Upper = 709.0;

    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    // Adding and subtracting 1.5 * 2^52 rounds to the nearest integer (ties to even), and the sum's low bits hold it.
    private const double RoundingShift = 6755399441055744.0;

    // Beyond these exp overflows or underflows to zero (the largest finite result is at ln(MaxValue) = 709.78).
    private const double Overflow = 709.782712893384;
    private const double Underflow = -745.1332191019412;

    public static double Exp(double x)
    {
        if (x >= Lower && x <= Upper)
        {
            return Reduced(x, out long k) * Power2(k);
        }

        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > Overflow)
        {
            return double.PositiveInfinity;
        }

        if (x < Underflow)
        {
            return 0.0;
        }

        // The edges: 2^k is outside the normal range, so it is applied in two exact halves.
        double y = Reduced(x, out long edge);
        long half = edge / 2;
        return y * Power2(half) * Power2(edge - half);
    }

    /// <summary>exp of every lane; lanes outside [Lower, Upper] (or NaN) send the whole vector the scalar way, with the same bits.</summary>
    public static Vector<double> Exp(Vector<double> x)
    {
        if (!Vector.GreaterThanOrEqualAll(x, new Vector<double>(Lower)) || !Vector.LessThanOrEqualAll(x, new Vector<double>(Upper)))
        {
            Span<double> lanes = stackalloc double[Vector<double>.Count];
            x.CopyTo(lanes);
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = Exp(lanes[i]);
            }

            return new Vector<double>(lanes);
        }

        var shift = new Vector<double>(RoundingShift);
        var shifted = (x * new Vector<double>(InvLn2)) + shift;
        var k = shifted - shift;
        var hi = x - (k * new Vector<double>(Ln2Hi));
        var lo = k * new Vector<double>(Ln2Lo);
        var r = hi - lo;
        var t = r * r;
        var c = r - (t * (new Vector<double>(P1) + (t * (new Vector<double>(P2) + (t * (new Vector<double>(P3) + (t * (new Vector<double>(P4) + (t * new Vector<double>(P5))))))))));
        var one = Vector<double>.One;
        var y = one - ((lo - ((r * c) / (new Vector<double>(2.0) - c))) - hi);
        var exponent = Vector.AsVectorInt64(shifted) - Vector.AsVectorInt64(shift) + new Vector<long>(1023);
        return y * Vector.AsVectorDouble(Vector.ShiftLeft(exponent, 52));
    }

    /// <summary>exp(r) for x = k ln2 + r; the same operations, in the same order, as a vector lane.</summary>
    private static double Reduced(double x, out long k)
    {
        double shifted = (x * InvLn2) + RoundingShift;
        double kf = shifted - RoundingShift;
        double hi = x - (kf * Ln2Hi);
        double lo = kf * Ln2Lo;
        double r = hi - lo;
        double t = r * r;
        double c = r - (t * (P1 + (t * (P2 + (t * (P3 + (t * (P4 + (t * P5)))))))));
        k = BitConverter.DoubleToInt64Bits(shifted) - BitConverter.DoubleToInt64Bits(RoundingShift);
        return 1.0 - ((lo - ((r * c) / (2.0 - c))) - hi);
    }

    private static double Power2(long k) => BitConverter.Int64BitsToDouble((k + 1023) << 52);
}
