using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// <see cref="ILinearAlgebra"/> in managed code with MathNet.Numerics' managed provider: the fallback when
/// no native BLAS/LAPACK can be loaded, and the reference the native backends are tested against.
/// Slow for large n (a symmetric EVD of order 1000 takes seconds). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// MathNet's dense storage is column-major, so a row-major r x c array is wrapped, without reordering,
/// as the c x r matrix (its transpose). <see cref="SymmetricEigen"/> reads only the upper triangle
/// (column &gt;= row) of the row-major matrix, like the native backends.
/// </remarks>
public sealed class ManagedLinearAlgebra : ILinearAlgebra
{
    public const string BackendName = "managed";

    public ManagedLinearAlgebra()
    {
        // MathNet picks its provider process-wide. Its native providers are not installed here, so the
        // default is already the managed one; switch explicitly only if something configured another.
        if (LinearAlgebraControl.Provider is not ManagedLinearAlgebraProvider)
        {
            LinearAlgebraControl.UseManaged();
        }
    }

    /// <summary>One shared instance; the class holds no state.</summary>
    public static ManagedLinearAlgebra Instance { get; } = new();

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public void CrossProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result)
    {
        LinearAlgebraArguments.CheckProduct(x, rows, cols, result, cols);
        if (cols == 0)
        {
            return;
        }

        if (rows == 0)
        {
            result.Clear();
            return;
        }

        // Wrapped column-major, x is Xt = X^T (cols x rows); X^T X = Xt Xt^T.
        Matrix<double> xt = Matrix<double>.Build.Dense(cols, rows, x.ToArray());
        WriteSymmetric(xt.TransposeAndMultiply(xt), cols, alpha, result);
    }

    /// <inheritdoc />
    public void OuterProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result)
    {
        LinearAlgebraArguments.CheckProduct(x, rows, cols, result, rows);
        if (rows == 0)
        {
            return;
        }

        if (cols == 0)
        {
            result.Clear();
            return;
        }

        // Wrapped column-major, x is Xt = X^T (cols x rows); X X^T = Xt^T Xt.
        Matrix<double> xt = Matrix<double>.Build.Dense(cols, rows, x.ToArray());
        WriteSymmetric(xt.TransposeThisAndMultiply(xt), rows, alpha, result);
    }

    /// <inheritdoc />
    public void SymmetricEigen(Span<double> matrix, int n, Span<double> eigenvalues)
    {
        LinearAlgebraArguments.CheckEigen(matrix, n, eigenvalues);
        if (n == 0)
        {
            return;
        }

        var full = new double[n * n];
        SymmetricStorage.SymmetrizeFromUpper(matrix, full, n);
        Evd<double> evd = Matrix<double>.Build.Dense(n, n, full).Evd(Symmetricity.Symmetric);

        // Eigenvector j is column j of the column-major result, i.e. row j of the row-major output.
        // MathNet's symmetric solver returns ascending eigenvalues; sort anyway rather than rely on it.
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = evd.EigenValues[i].Real;
        }

        int[] order = [.. Enumerable.Range(0, n).OrderBy(i => values[i])];
        double[] vectors = evd.EigenVectors.AsColumnMajorArray() ?? evd.EigenVectors.ToColumnMajorArray();
        for (int i = 0; i < n; i++)
        {
            int source = order[i];
            eigenvalues[i] = values[source];
            vectors.AsSpan(source * n, n).CopyTo(matrix.Slice(i * n, n));
        }
    }

    /// <inheritdoc />
    public void Multiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        LinearAlgebraArguments.CheckMultiply(transposeA, transposeB, m, n, k, a, b, c);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            c.Clear();
            return;
        }

        // Row-major C is column-major C^T = op(B)^T op(A)^T (n x m). Wrapped column-major, the b array is
        // op(B)^T (n x k) when !transposeB and op(B) (k x n) otherwise; the a array is op(A)^T (k x m) when
        // !transposeA and op(A) (m x k) otherwise.
        Matrix<double> bw = transposeB ? Matrix<double>.Build.Dense(k, n, b.ToArray()) : Matrix<double>.Build.Dense(n, k, b.ToArray());
        Matrix<double> aw = transposeA ? Matrix<double>.Build.Dense(m, k, a.ToArray()) : Matrix<double>.Build.Dense(k, m, a.ToArray());
        Matrix<double> ct = (transposeB, transposeA) switch
        {
            (false, false) => bw.Multiply(aw),
            (true, false) => bw.TransposeThisAndMultiply(aw),
            (false, true) => bw.TransposeAndMultiply(aw),
            (true, true) => bw.Transpose().TransposeAndMultiply(aw),
        };

        double[] values = ct.AsColumnMajorArray() ?? ct.ToColumnMajorArray();
        for (int i = 0; i < values.Length; i++)
        {
            c[i] = alpha * values[i];
        }
    }

    private static void WriteSymmetric(Matrix<double> product, int order, double alpha, Span<double> result)
    {
        double[] values = product.AsColumnMajorArray() ?? product.ToColumnMajorArray();
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = alpha * values[i];
        }

        // Make the result exactly symmetric whatever summation order the provider used for each triangle.
        SymmetricStorage.CopyLowerToUpper(result, order);
    }
}
