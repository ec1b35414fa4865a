using SweepCluster.Model.LinearAlgebra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.LinearAlgebra;

/// <summary>The native backends and the managed one give the same answers on the same problem.</summary>
public sealed class BackendAgreementTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-10;

    public static TheoryData<string> NativeBackends => [LinearAlgebraBackends.OpenBlas, LinearAlgebraBackends.LapackReference];

    [Theory]
    [MemberData(nameof(NativeBackends))]
    public void Native_and_managed_agree_on_covariance_and_eigendecomposition(string nativeName)
    {
        if (BackendCases.Get(nativeName, output) is not { } native)
        {
            return;
        }

        ILinearAlgebra managed = LinearAlgebraBackends.Create(LinearAlgebraBackends.Managed);
        const int rows = 37;
        const int cols = 23;
        double[] x = BackendCases.RandomMatrix(rows, cols, seed: 4242);

        // Covariance X^T X / rows, elementwise relative to the rounding scale sum_k |x_ki x_kj| / rows.
        var nativeCovariance = new double[cols * cols];
        var managedCovariance = new double[cols * cols];
        native.CrossProduct(x, rows, cols, 1.0 / rows, nativeCovariance);
        managed.CrossProduct(x, rows, cols, 1.0 / rows, managedCovariance);
        (_, double[] scale) = BackendCases.NaiveMultiply(true, false, cols, cols, rows, 1.0 / rows, x, x);
        BackendCases.AssertClose(managedCovariance, nativeCovariance, scale, Tolerance, "covariance");

        const int n = 50;
        double[] a = BackendCases.RandomSymmetricPositive(n, seed: 99);
        double[] nativeVectors = (double[])a.Clone();
        double[] managedVectors = (double[])a.Clone();
        var nativeValues = new double[n];
        var managedValues = new double[n];
        native.SymmetricEigen(nativeVectors, n, nativeValues);
        managed.SymmetricEigen(managedVectors, n, managedValues);

        double norm = Math.Max(Math.Abs(managedValues[0]), Math.Abs(managedValues[^1]));
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(nativeValues[i] - managedValues[i]) <= Tolerance * norm, $"eigenvalue {i}: {nativeValues[i]} vs {managedValues[i]}");
        }

        // Eigenvectors are unique up to sign only where the eigenvalue is isolated; the angle between the
        // two solutions is about eps |A| / gap, so compare those whose gap is at least 1e-3 |A|.
        int compared = 0;
        for (int i = 0; i < n; i++)
        {
            double gap = Math.Min(
                i > 0 ? managedValues[i] - managedValues[i - 1] : double.PositiveInfinity,
                i < n - 1 ? managedValues[i + 1] - managedValues[i] : double.PositiveInfinity);
            if (gap < 1e-3 * norm)
            {
                continue;
            }

            double dot = 0;
            for (int l = 0; l < n; l++)
            {
                dot += nativeVectors[(i * n) + l] * managedVectors[(i * n) + l];
            }

            Assert.True(Math.Abs(Math.Abs(dot) - 1) <= Tolerance, $"|u_{i} . u'_{i}| = {Math.Abs(dot)}");
            compared++;
        }

        output.WriteLine($"compared {compared} of {n} eigenvectors");
        Assert.True(compared >= n / 2, $"only {compared} of {n} eigenvalues were well separated; pick another seed");
    }
}
