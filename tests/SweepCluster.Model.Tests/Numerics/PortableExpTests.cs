using System.Numerics;
using SweepCluster.Model.Numerics;
using SweepCluster.Model.Random;

namespace SweepCluster.Model.Tests.Numerics;

public class PortableExpTests
{
    [Fact]
    public void AgreesWithTheRuntimesExpToOneUlp()
    {
        // Both are within an ulp of the truth (glibc's nearly always rounds correctly, fdlibm's method about nine times
        // in ten), so they may differ by one step, not more.
        int differ = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = -750.0 + (1460.0 * SplitMix64.ToUniform(SplitMix64.At(7, (ulong)i + 1)));
            double expected = Math.Exp(x), actual = PortableExp.Exp(x);
            long steps = Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));
            Assert.True(steps <= 1, $"exp({x:R}): {actual:R} against {expected:R}");
            differ += steps == 0 ? 0 : 1;
        }

        Assert.True(differ < 30_000, $"{differ} of 200000 differ in the last bit");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(-746.0, 0.0)]
    [InlineData(710.0, double.PositiveInfinity)]
    public void KnowsItsSpecialValues(double x, double expected)
    {
        Assert.Equal(expected, PortableExp.Exp(x));
    }

    [Fact]
    public void IsNaNForNaN()
    {
        Assert.True(double.IsNaN(PortableExp.Exp(double.NaN)));
    }

    [Theory]
    [InlineData(-745.0)]
    [InlineData(-740.0)]
    [InlineData(-708.5)]
    [InlineData(709.5)]
    [InlineData(709.78)]
    public void ReachesTheSubnormalAndTheTopEdge(double x)
    {
        double expected = Math.Exp(x), actual = PortableExp.Exp(x);
        Assert.True(Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual)) <= 1, $"exp({x:R}): {actual:R} against {expected:R}");
    }

    [Fact]
    public void EveryLaneHasTheBitsOfTheScalarPath()
    {
        // In range and out of range (which sends the vector to the scalar path), lane by lane.
        ulong j = 0;
        int width = Vector<double>.Count;
        var lanes = new double[width];
        for (int i = 0; i < 20_000; i++)
        {
            double span = i % 2 == 0 ? 1400.0 : 1600.0;
            for (int k = 0; k < width; k++)
            {
                lanes[k] = (-span / 2) + (span * SplitMix64.ToUniform(SplitMix64.At(11, ++j)));
            }

            var result = PortableExp.Exp(new Vector<double>(lanes));
            for (int k = 0; k < width; k++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(PortableExp.Exp(lanes[k])), BitConverter.DoubleToInt64Bits(result[k]));
            }
        }
    }
}
