using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>
/// S-12.4: the per-direction measures mu_nu average to S-6's mu_I and, weighted with lambda_nu, to mu_S; each has mass 1.
/// </summary>
public class DirectionMeasureTests
{
    [Theory]
    [InlineData(80, 39.0, 1.0)]
    [InlineData(60, 119.0, 0.5)]
    public void DirectionsAverageToTheTraceMeasures(int d, double n, double k)
    {
        var spectrum = Spectrum.PowerLaw(d, k);
        var measure = SpectralMeasure.Create(spectrum, n, 1000);
        int nodes = measure.Points.Length;
        var sumI = new double[nodes];
        var sumS = new double[nodes];
        double atomI = 0, atomS = 0;
        var w = new double[nodes];
        foreach (double lambda in spectrum.Eigenvalues)
        {
            double atom = measure.DirectionWeights(lambda, 0, w);
            atomI += atom / d;
            atomS += lambda * atom / d;
            double mass = atom;
            for (int j = 0; j < nodes; j++)
            {
                sumI[j] += w[j] / d;
                sumS[j] += lambda * w[j] / d;
                mass += w[j];
            }

            Assert.InRange(mass, 0.999, 1.001);
        }

        Assert.Equal(measure.AtomI, atomI, 12);
        Assert.Equal(measure.AtomS, atomS, 12);
        for (int j = 0; j < nodes; j++)
        {
            Assert.True(Math.Abs(sumI[j] - measure.WeightsI[j]) <= (1e-9 * Math.Abs(measure.WeightsI[j])) + 1e-15, $"mu_I at node {j}");
            Assert.True(Math.Abs(sumS[j] - measure.WeightsS[j]) <= (1e-9 * Math.Abs(measure.WeightsS[j])) + 1e-15, $"mu_S at node {j}");
        }

        var part = new double[10];
        double again = measure.DirectionWeights(spectrum[0], nodes - 10, part);
        measure.DirectionWeights(spectrum[0], 0, w);
        Assert.Equal(w.AsSpan(nodes - 10).ToArray(), part);
        Assert.Throws<ArgumentOutOfRangeException>(() => measure.DirectionWeights(spectrum[0], nodes - 9, part));
        Assert.True(again >= 0);
    }
}
