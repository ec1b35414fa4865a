using SweepCluster.Model.LinearAlgebra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.LinearAlgebra;

/// <summary>Every backend available here against naive loops and the defining properties of an EVD.</summary>
public sealed class LinearAlgebraBackendTests(ITestOutputHelper output)
{
    // Rounding bound is about k * eps * scale (k <= 50); 1e-12 leaves a wide margin and still catches any layout error.
    private const double ProductTolerance = 1e-12;

    public static TheoryData<string> Backends => BackendCases.Names;

    public static TheoryData<string, bool, bool> MultiplyCases
    {
        get
        {
            var cases = new TheoryData<string, bool, bool>();
            foreach (string name in LinearAlgebraBackends.Names)
            {
                foreach (bool transposeA in new[] { false, true })
                {
                    foreach (bool transposeB in new[] { false, true })
                    {
                        cases.Add(name, transposeA, transposeB);
                    }
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void CrossProduct_matches_naive_loop(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        foreach ((int rows, int cols) in new[] { (37, 23), (23, 37), (50, 50), (1, 5) })
        {
            double[] x = BackendCases.RandomMatrix(rows, cols, seed: 11 + rows);
            const double alpha = 0.75;
            var result = new double[cols * cols];
            Array.Fill(result, double.NaN); // output must not depend on the initial contents
            backend.CrossProduct(x, rows, cols, alpha, result);

            // X^T X = op(A) op(B) with A = X transposed, B = X.
            (double[] expected, double[] scale) = BackendCases.NaiveMultiply(true, false, cols, cols, rows, alpha, x, x);
            BackendCases.AssertClose(expected, result, scale, ProductTolerance, $"{backendName} CrossProduct {rows}x{cols}");
            BackendCases.AssertExactlySymmetric(result, cols, $"{backendName} CrossProduct {rows}x{cols}");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void OuterProduct_matches_naive_loop(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        foreach ((int rows, int cols) in new[] { (37, 23), (23, 37), (50, 50), (5, 1) })
        {
            double[] x = BackendCases.RandomMatrix(rows, cols, seed: 29 + cols);
            const double alpha = -1.25;
            var result = new double[rows * rows];
            Array.Fill(result, double.NaN);
            backend.OuterProduct(x, rows, cols, alpha, result);

            (double[] expected, double[] scale) = BackendCases.NaiveMultiply(false, true, rows, rows, cols, alpha, x, x);
            BackendCases.AssertClose(expected, result, scale, ProductTolerance, $"{backendName} OuterProduct {rows}x{cols}");
            BackendCases.AssertExactlySymmetric(result, rows, $"{backendName} OuterProduct {rows}x{cols}");
        }
    }

    [Theory]
    [MemberData(nameof(MultiplyCases))]
    public void Multiply_matches_naive_loop(string backendName, bool transposeA, bool transposeB)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        foreach ((int m, int n, int k) in new[] { (37, 23, 29), (23, 37, 50), (50, 50, 50), (1, 7, 3), (7, 1, 1) })
        {
            double[] a = BackendCases.RandomMatrix(m, k, seed: 3 + m);
            double[] b = BackendCases.RandomMatrix(k, n, seed: 5 + n);
            const double alpha = 1.7;
            var c = new double[m * n];
            Array.Fill(c, double.NaN);
            backend.Multiply(transposeA, transposeB, m, n, k, alpha, a, b, c);

            (double[] expected, double[] scale) = BackendCases.NaiveMultiply(transposeA, transposeB, m, n, k, alpha, a, b);
            BackendCases.AssertClose(expected, c, scale, ProductTolerance, $"{backendName} Multiply tA={transposeA} tB={transposeB} {m}x{n}x{k}");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SymmetricEigen_gives_ascending_orthonormal_eigenpairs(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        const int n = 50;
        double[] a = BackendCases.RandomSymmetricPositive(n, seed: 2024);
        double[] vectors = (double[])a.Clone();
        var values = new double[n];
        backend.SymmetricEigen(vectors, n, values);

        for (int i = 1; i < n; i++)
        {
            Assert.True(values[i - 1] <= values[i], $"eigenvalues not ascending at {i}: {values[i - 1]} > {values[i]}");
        }

        Assert.True(values[0] > 0, $"a positive definite matrix gave eigenvalue {values[0]}");
        double norm = values.Max(Math.Abs);
        double trace = Enumerable.Range(0, n).Sum(i => a[(i * n) + i]);
        Assert.True(Math.Abs(values.Sum() - trace) <= 1e-10 * trace, $"sum of eigenvalues {values.Sum()} != trace {trace}");

        for (int e = 0; e < n; e++)
        {
            ReadOnlySpan<double> u = vectors.AsSpan(e * n, n);
            for (int row = 0; row < n; row++)
            {
                double au = 0;
                for (int col = 0; col < n; col++)
                {
                    au += a[(row * n) + col] * u[col];
                }

                double residual = Math.Abs(au - (values[e] * u[row]));
                Assert.True(residual <= 1e-10 * norm, $"(A u_{e} - lambda u_{e})[{row}] = {residual:E2}, |A| = {norm}");
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double dot = 0;
                for (int l = 0; l < n; l++)
                {
                    dot += vectors[(i * n) + l] * vectors[(j * n) + l];
                }

                double expected = i == j ? 1 : 0;
                Assert.True(Math.Abs(dot - expected) <= 1e-10, $"u_{i} . u_{j} = {dot}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SymmetricEigen_reads_only_the_upper_triangle(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        const int n = 20;
        double[] a = BackendCases.RandomSymmetricPositive(n, seed: 7);
        double[] upperOnly = (double[])a.Clone();
        for (int row = 1; row < n; row++)
        {
            for (int col = 0; col < row; col++)
            {
                upperOnly[(row * n) + col] = 1e6 * (row + col); // garbage below the diagonal
            }
        }

        var expectedValues = new double[n];
        var actualValues = new double[n];
        backend.SymmetricEigen(a, n, expectedValues);
        backend.SymmetricEigen(upperOnly, n, actualValues);

        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(expectedValues[i] - actualValues[i]) <= 1e-12 * expectedValues[^1], $"eigenvalue {i}: {actualValues[i]} vs {expectedValues[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Degenerate_sizes_give_zeros_or_nothing(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        double[] cross = [double.NaN, double.NaN, double.NaN, double.NaN];
        backend.CrossProduct([], rows: 0, cols: 2, alpha: 1, cross);
        Assert.All(cross, v => Assert.Equal(0.0, v));

        double[] outer = [double.NaN, double.NaN, double.NaN, double.NaN];
        backend.OuterProduct([], rows: 2, cols: 0, alpha: 1, outer);
        Assert.All(outer, v => Assert.Equal(0.0, v));

        double[] c = [double.NaN, double.NaN, double.NaN];
        backend.Multiply(false, false, m: 3, n: 1, k: 0, alpha: 1, [], [], c);
        Assert.All(c, v => Assert.Equal(0.0, v));

        backend.Multiply(false, false, m: 0, n: 4, k: 2, alpha: 1, [], new double[8], []);
        backend.SymmetricEigen([], 0, []);

        double[] one = [4.0];
        double[] value = [0.0];
        backend.SymmetricEigen(one, 1, value);
        Assert.Equal(4.0, value[0]);
        Assert.Equal(1.0, Math.Abs(one[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Bad_arguments_throw_before_reaching_the_library(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        var x = new double[12];
        Assert.Throws<ArgumentException>(() => backend.CrossProduct(x, 3, 5, 1, new double[25]));
        Assert.Throws<ArgumentException>(() => backend.CrossProduct(x, 3, 4, 1, new double[15]));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.OuterProduct(x, -3, -4, 1, new double[9]));
        Assert.Throws<ArgumentException>(() => backend.OuterProduct(x, 3, 4, 1, x.AsSpan(0, 9)));
        Assert.Throws<ArgumentException>(() => backend.Multiply(false, false, 2, 2, 3, 1, new double[6], new double[5], new double[4]));
        Assert.Throws<ArgumentException>(() => backend.Multiply(true, false, 2, 2, 3, 1, x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(4, 4)));
        Assert.Throws<ArgumentException>(() => backend.SymmetricEigen(new double[9], 3, new double[2]));
        Assert.Throws<ArgumentException>(() => backend.SymmetricEigen([1, 0, 0, double.NaN], 2, new double[2]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Concurrent_calls_on_different_data_give_the_sequential_results(string backendName)
    {
        if (BackendCases.Get(backendName, output) is not { } backend)
        {
            return;
        }

        const int n = 60;
        const int tasks = 8;
        double[][] inputs = [.. Enumerable.Range(0, tasks).Select(t => BackendCases.RandomSymmetricPositive(n, seed: 100 + t))];
        double[][] sequential = [.. inputs.Select(input => Decompose(backend, input, n))];
        double[][] concurrent = await Task.WhenAll(inputs.Select(input => Task.Run(() => Decompose(backend, input, n))));

        // Not necessarily bitwise equal: a threaded BLAS may split a call differently when it is busy.
        for (int t = 0; t < tasks; t++)
        {
            double[] scale = [.. sequential[t].Select(v => Math.Max(1.0, Math.Abs(v)))];
            BackendCases.AssertClose(sequential[t], concurrent[t], scale, 1e-10, $"{backendName} task {t}");
        }
    }

    private static double[] Decompose(ILinearAlgebra backend, double[] input, int n)
    {
        double[] matrix = (double[])input.Clone();
        var values = new double[n];
        backend.SymmetricEigen(matrix, n, values);
        var product = new double[n * n];
        backend.CrossProduct(matrix, n, n, 1, product);
        return [.. values, .. product];
    }
}
