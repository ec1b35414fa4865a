using SweepCluster.Model.LinearAlgebra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.LinearAlgebra;

/// <summary>Backends under test, fixed-seed inputs and naive reference kernels.</summary>
public static class BackendCases
{
    public static TheoryData<string> Names => [.. LinearAlgebraBackends.Names];

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The backend, or null (with a message in the test output) when its native library is missing.
    /// On CI (CI=true) a missing OpenBLAS fails the test instead: it is a required part of the image there.
    /// </summary>
    public static ILinearAlgebra? Get(string name, ITestOutputHelper output)
    {
        if (LinearAlgebraBackends.TryCreate(name, out ILinearAlgebra? backend, out string? reason))
        {
            if (backend is NativeLinearAlgebra native)
            {
                output.WriteLine(native.Description);
            }

            return backend;
        }

        if (IsCi && name == LinearAlgebraBackends.OpenBlas)
        {
            Assert.Fail($"CI=true and backend '{name}' is unavailable: {reason}");
        }

        output.WriteLine($"SKIPPED: backend '{name}' is unavailable here: {reason}");
        return null;
    }

    public static double[] RandomMatrix(int rows, int cols, int seed)
    {
        var random = new System.Random(seed);
        var values = new double[rows * cols];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }

    /// <summary>A random symmetric positive definite n x n matrix: X^T X / rows + 0.1 I.</summary>
    public static double[] RandomSymmetricPositive(int n, int seed)
    {
        int rows = 2 * n;
        double[] x = RandomMatrix(rows, n, seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    sum += x[(r * n) + i] * x[(r * n) + j];
                }

                a[(i * n) + j] = (sum / rows) + (i == j ? 0.1 : 0);
            }
        }

        return a;
    }

    /// <summary>Row-major element (row, col) of op(M) where M is stored row-major with <paramref name="storedCols"/> columns.</summary>
    public static double Op(double[] matrix, bool transpose, int storedCols, int row, int col)
        => transpose ? matrix[(col * storedCols) + row] : matrix[(row * storedCols) + col];

    /// <summary>
    /// Naive C = alpha op(A) op(B) and, elementwise, the rounding-error scale |alpha| sum_l |op(A)_il| |op(B)_lj|.
    /// </summary>
    public static (double[] Product, double[] Scale) NaiveMultiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha, double[] a, double[] b)
    {
        int aCols = transposeA ? m : k;
        int bCols = transposeB ? k : n;
        var product = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int l = 0; l < k; l++)
                {
                    double term = Op(a, transposeA, aCols, i, l) * Op(b, transposeB, bCols, l, j);
                    sum += term;
                    abs += Math.Abs(term);
                }

                product[(i * n) + j] = alpha * sum;
                scale[(i * n) + j] = Math.Abs(alpha) * abs;
            }
        }

        return (product, scale);
    }

    /// <summary>|actual - expected| &lt;= tolerance * scale, elementwise, with the worst element in the message.</summary>
    public static void AssertClose(double[] expected, double[] actual, double[] scale, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double ratio = Math.Abs(actual[i] - expected[i]) / Math.Max(scale[i], double.Epsilon);
            if (!(ratio <= worst))
            {
                worst = ratio;
                worstIndex = i;
            }
        }

        Assert.True(worst <= tolerance, $"{what}: element {worstIndex} is {actual[Math.Max(worstIndex, 0)]}, expected {expected[Math.Max(worstIndex, 0)]} (error {worst:E2} x scale, tolerance {tolerance:E0})");
    }

    public static void AssertExactlySymmetric(double[] matrix, int n, string what)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                Assert.True(matrix[(i * n) + j] == matrix[(j * n) + i], $"{what}: ({i}, {j}) = {matrix[(i * n) + j]} but ({j}, {i}) = {matrix[(j * n) + i]}");
            }
        }
    }
}
