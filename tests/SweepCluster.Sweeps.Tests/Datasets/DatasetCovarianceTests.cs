using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Sweeps.Datasets;

namespace SweepCluster.Sweeps.Tests.Datasets;

public sealed class DatasetCovarianceTests
{
    /// <summary>The managed backend always, and the native ones where their libraries load here.</summary>
    public static TheoryData<string> Backends()
    {
        var data = new TheoryData<string> { LinearAlgebraBackends.Managed };
        foreach (string name in new[] { LinearAlgebraBackends.OpenBlas, LinearAlgebraBackends.LapackReference })
        {
            if (LinearAlgebraBackends.TryCreate(name, out _, out _))
            {
                data.Add(name);
            }
        }

        return data;
    }

    private static IdxImages Images(int n, int rows, int cols, int seed, out byte[] pixels)
    {
        pixels = IdxTestData.Pixels(n, rows, cols, seed);
        return new IdxImages(n, rows, cols, n, pixels);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void TheEigenvaluesMatchANaiveCovarianceAndJacobi(string backend)
    {
        var images = Images(50, 4, 3, seed: 11, out byte[] pixels);
        double[] expected = IdxTestData.JacobiEigenvalues(IdxTestData.NaiveCovariance(pixels, 50, 12));

        double[] actual = DatasetCovariance.Eigenvalues(images, LinearAlgebraBackends.Create(backend));

        Assert.Equal(12, actual.Length);
        for (int i = 0; i < 12; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * expected[0], $"eigenvalue {i}: expected {expected[i]:R}, got {actual[i]:R}");
            Assert.True(i == 0 || actual[i] <= actual[i - 1], "descending");
        }

        Assert.True(actual[^1] > 0, "50 random images of 12 pixels have a full-rank covariance");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void TheCovarianceIsTheDefinitionAndBlockingDoesNotChangeIt(string backend)
    {
        var algebra = LinearAlgebraBackends.Create(backend);
        var images = Images(50, 4, 3, seed: 12, out byte[] pixels);
        double[,] naive = IdxTestData.NaiveCovariance(pixels, 50, 12);

        double[] whole = DatasetCovariance.Covariance(images, algebra);
        double[] blocked = DatasetCovariance.Covariance(images, algebra, blockRows: 7);

        for (int a = 0; a < 12; a++)
        {
            for (int b = 0; b < 12; b++)
            {
                Assert.Equal(naive[a, b], whole[(a * 12) + b], 1e-14);
                Assert.Equal(naive[a, b], blocked[(a * 12) + b], 1e-14);
                Assert.Equal(whole[(a * 12) + b], whole[(b * 12) + a]);
            }
        }
    }

    [Fact]
    public void OnePixelThatVariesGivesItsSampleVarianceAndZeros()
    {
        // Pixel 0 alternates 0, 255 (values 0, 1: mean 1/2, sum of squares 4 * 1/4 = 1, / (n-1) = 1/3);
        // pixel 1 is constant, so its variance and the covariance are 0.
        byte[] pixels = [0, 77, 255, 77, 0, 77, 255, 77];
        var images = new IdxImages(4, 1, 2, 4, pixels);

        double[] values = DatasetCovariance.Eigenvalues(images, LinearAlgebraBackends.Create(LinearAlgebraBackends.Managed));

        Assert.Equal(1.0 / 3, values[0], 15);
        Assert.Equal(0.0, values[1], 15);
        Assert.Equal([0.5, 77 / 255.0], DatasetCovariance.Mean(images));
    }

    [Fact]
    public void ACovarianceNeedsTwoImages()
    {
        var one = new IdxImages(1, 2, 2, 1, [1, 2, 3, 4]);
        var e = Assert.Throws<ArgumentException>(() => DatasetCovariance.Covariance(one, LinearAlgebraBackends.Create(LinearAlgebraBackends.Managed)));
        Assert.Contains("at least 2 images", e.Message, StringComparison.Ordinal);
    }
}
