using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Random;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>The S-15 statements that hold for any seed: the generic posterior, PCA for K = 1, exact recovery, and the refusals.</summary>
public sealed class MolrgPropertyTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    /// <summary>S-15.2: the closed form agrees with the generic Gaussian-mixture posterior with full covariances (spec: 1.4e-14).</summary>
    [Theory]
    [InlineData(0.05, 0.5)]
    [InlineData(0.0, 0.9)]
    [InlineData(0.2, 0.1)]
    public void ClosedFormIsTheGenericMixturePosterior(double delta, double a)
    {
        const int d = 8, components = 3, r = 2;
        var bases = MolrgData.DrawBases(d, components, r, 11, orthogonal: false);
        double[] pi = [0.5, 0.2, 0.3];
        var xt = new double[d];
        PortableNormals.Fill(3, 0, xt);
        var closed = new MolrgDenoiser(bases, pi, delta).Denoise(xt, a);

        // Component k: x_t ~ N(0, M_k), M_k = a^2 C_k + s^2 I with C_k = U_k U_k^T + delta I; E[x0|x_t,k] = a C_k M_k^-1 x_t.
        double s2 = 1 - (a * a);
        var logLik = new double[components];
        var means = new double[components][];
        for (int k = 0; k < components; k++)
        {
            var c = bases.Projector(k);
            for (int i = 0; i < d; i++)
            {
                c[(i * d) + i] += delta;
            }

            var m = c.Select(v => a * a * v).ToArray();
            for (int i = 0; i < d; i++)
            {
                m[(i * d) + i] += s2;
            }

            var (solution, logDet) = Solve(m, xt, d);
            double quad = xt.Zip(solution, (x, y) => x * y).Sum();
            logLik[k] = Math.Log(pi[k]) - (0.5 * logDet) - (0.5 * quad);
            means[k] = new double[d];
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    means[k][i] += a * c[(i * d) + j] * solution[j];
                }
            }
        }

        double max = logLik.Max();
        var w = logLik.Select(l => Math.Exp(l - max)).ToArray();
        double norm = w.Sum();
        for (int i = 0; i < d; i++)
        {
            double generic = Enumerable.Range(0, components).Sum(k => w[k] / norm * means[k][i]);
            Assert.True(Math.Abs(generic - closed[i]) <= 1e-12 * Math.Max(1, Math.Abs(generic)), $"coordinate {i}: generic {generic:R}, closed form {closed[i]:R}");
        }
    }

    /// <summary>S-15.5: with K = 1 and delta = 0, K-subspaces is PCA and recovers U exactly as soon as N &gt;= r.</summary>
    [Theory]
    [InlineData(3, 3)]
    [InlineData(5, 12)]
    public void SingleComponentIsPcaAndRecoversExactly(int r, int n)
    {
        var truth = MolrgData.DrawBases(20, 1, r, 4);
        var data = MolrgData.Draw(truth, n, 0.0, 4);
        var fit = KSubspaces.Fit(data, 1, r, 4, 1, 100, Algebra);
        Assert.True(SubspaceRecovery.Distance(fit.Bases, truth) < 1e-12);

        // All the energy is in the subspace, so J is the mean squared norm.
        double meanNorm2 = Enumerable.Range(0, n).Sum(i => data.Samples.AsSpan(i * 20, 20).ToArray().Sum(x => x * x)) / n;
        Assert.True(Math.Abs(fit.Objective - meanNorm2) < 1e-12 * meanNorm2);
    }

    /// <summary>D is symmetric in the labelling (the permutation search), 0 for the truth, 1 for orthogonal subspaces.</summary>
    [Fact]
    public void DistanceIsPermutationInvariantAndBounded()
    {
        var four = MolrgData.DrawBases(12, 4, 2, 9);
        var truth = new SubspaceBases(12, 2, [four.Bases[0], four.Bases[1], four.Bases[2]]);
        var swapped = new SubspaceBases(12, 2, [truth.Bases[2], truth.Bases[0], truth.Bases[1]]);
        Assert.True(SubspaceRecovery.Distance(swapped, truth) < 1e-15);
        var wrong = new SubspaceBases(12, 2, [four.Bases[0], four.Bases[1], four.Bases[3]]);
        double dWrong = SubspaceRecovery.Distance(wrong, truth);
        Assert.True(Math.Abs(dWrong - 1) < 1e-12, $"D = {dWrong} for a subspace orthogonal to all true ones");
    }

    [Fact]
    public void RefusesWhatTheSpecDoesNotAllow()
    {
        Assert.Equal("orthogonal", Assert.Throws<ArgumentException>(() => MolrgData.DrawBases(10, 3, 4, 0)).ParamName);
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => MolrgData.DrawBases(10, 1, 11, 0)).ParamName);
        var bases = MolrgData.DrawBases(10, 2, 2, 0);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => MolrgData.Draw(bases, 4, -1, 0)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new MolrgDenoiser(bases, [0.5, 0.6], 0)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => new MolrgDenoiser(bases, null, 0).Denoise(new double[10], 1.0)).ParamName);
        var six = MolrgData.DrawBases(12, 6, 2, 0);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => SubspaceRecovery.Distance(six, six)).ParamName);
        Assert.Equal("RankList", Assert.Throws<ArgumentException>(() => new MolrgHeatmapConfig { RankList = [16] }.Validate()).ParamName);
        Assert.Equal("SamplesPerComponentList", Assert.Throws<ArgumentException>(() => new MolrgHeatmapConfig { SamplesPerComponentList = [0] }.Validate()).ParamName);
        Assert.Equal("Threshold", Assert.Throws<ArgumentException>(() => new MolrgHeatmapConfig { Threshold = 2 }.Validate()).ParamName);
    }

    /// <summary>Gaussian elimination with partial pivoting: M^-1 b and ln det M (M symmetric positive definite here).</summary>
    private static (double[] Solution, double LogDet) Solve(double[] m, double[] b, int n)
    {
        var a = (double[])m.Clone();
        var x = (double[])b.Clone();
        double logDet = 0;
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(row => Math.Abs(a[(row * n) + col]));
            if (pivot != col)
            {
                for (int j = 0; j < n; j++)
                {
                    (a[(col * n) + j], a[(pivot * n) + j]) = (a[(pivot * n) + j], a[(col * n) + j]);
                }

                (x[col], x[pivot]) = (x[pivot], x[col]);
            }

            double p = a[(col * n) + col];
            logDet += Math.Log(Math.Abs(p));
            for (int row = col + 1; row < n; row++)
            {
                double f = a[(row * n) + col] / p;
                for (int j = col; j < n; j++)
                {
                    a[(row * n) + j] -= f * a[(col * n) + j];
                }

                x[row] -= f * x[col];
            }
        }

        for (int row = n - 1; row >= 0; row--)
        {
            double sum = x[row];
            for (int j = row + 1; j < n; j++)
            {
                sum -= a[(row * n) + j] * x[j];
            }

            x[row] = sum / a[(row * n) + row];
        }

        return (x, logDet);
    }
}
