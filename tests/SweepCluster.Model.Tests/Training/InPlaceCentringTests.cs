using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Training;

public class InPlaceCentringTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Theory]
    [InlineData(30, 80)] // covariance route
    [InlineData(80, 30)] // Gram route
    public void CentringTheSamplesInPlaceGivesTheBitsOfACentredCopy(int d, int n)
    {
        var spectrum = Spectrum.PowerLaw(d, 1.0);
        var copy = EmpiricalEigenbasis.Compute(TrainingSet.Generate(spectrum, n, 5), spectrum, BiasMode.Mean, Algebra);
        var set = TrainingSet.Generate(spectrum, n, 5);
        var inPlace = EmpiricalEigenbasis.Compute(set, spectrum, BiasMode.Mean, Algebra, centreInPlace: true);
        Assert.Equal(copy.Variance, inPlace.Variance);
        Assert.Equal(copy.OverlapSigma, inPlace.OverlapSigma);
        Assert.Equal(copy.OverlapSigmaInverse, inPlace.OverlapSigmaInverse);
        Assert.Equal(copy.MeanCoordinateSquared, inPlace.MeanCoordinateSquared);
        Assert.Equal(copy.Mean, inPlace.Mean);

        // The set itself now holds the centred samples: its first column sums to (about) zero.
        double column = Enumerable.Range(0, n).Sum(row => set.Samples[row * d]);
        Assert.True(Math.Abs(column) < 1e-10, $"first column sums to {column}");
    }
}
