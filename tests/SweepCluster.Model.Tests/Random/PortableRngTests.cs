using SweepCluster.Model.Random;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Random;

public class PortableRngTests
{
    private static ulong[] Vector(string name) =>
        ReferenceData.Root.GetProperty("rng_test_vectors").GetProperty(name).EnumerateArray().Select(e => e.GetUInt64()).ToArray();

    private static double[] Doubles(string name) =>
        ReferenceData.Root.GetProperty("rng_test_vectors").GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Theory]
    [InlineData(0UL, "splitmix64_seed0_first4")]
    [InlineData(42UL, "splitmix64_seed42_first4")]
    public void SplitMixOutputsMatchTheReferenceBitForBit(ulong seed, string vector)
    {
        var expected = Vector(vector);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], SplitMix64.At(seed, (ulong)j + 1));
        }
    }

    [Theory]
    [InlineData(0UL, "normals_seed0_first6")]
    [InlineData(42UL, "normals_seed42_first6")]
    public void NormalsMatchTheReference(ulong seed, string vector)
    {
        var expected = Doubles(vector);
        var actual = new double[expected.Length];
        PortableNormals.Fill(seed, 0, actual);
        for (int k = 0; k < expected.Length; k++)
        {
            Tolerance.AssertClose(expected[k], actual[k], 1e-14, $"normal {k}");
        }
    }

    [Fact]
    public void AnyRangeOfTheStreamEqualsTheSameRangeOfTheWholeStream()
    {
        var whole = new double[101];
        PortableNormals.Fill(7, 0, whole);
        for (int first = 0; first < 10; first++)
        {
            var part = new double[37];
            PortableNormals.Fill(7, first, part);
            Assert.Equal(whole.AsSpan(first, 37).ToArray(), part);
        }
    }

    [Fact]
    public void PowerLawSpectrumMatchesTheReference()
    {
        var expected = Doubles("powerlaw_d4_k1_lambda");
        var spectrum = Spectrum.PowerLaw(4, 1.0);
        for (int i = 0; i < 4; i++)
        {
            Tolerance.AssertClose(expected[i], spectrum[i], 1e-15, $"lambda {i}");
        }
    }

    [Fact]
    public void TrainingSetMatchesTheReference()
    {
        var rows = ReferenceData.Root.GetProperty("rng_test_vectors").GetProperty("X_d4_k1_N3_seed7").EnumerateArray().ToArray();
        var set = TrainingSet.Generate(Spectrum.PowerLaw(4, 1.0), 3, 7);
        for (int mu = 0; mu < 3; mu++)
        {
            var expected = rows[mu].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < 4; i++)
            {
                Tolerance.AssertClose(expected[i], set.Samples[(mu * 4) + i], 1e-14, $"X[{mu},{i}]");
            }
        }
    }
}
