namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// The few dense kernels a training set needs. All matrices are row-major spans; implementations may
/// call native BLAS/LAPACK (column-major) as long as they honour these row-major meanings.
/// Implementations must be safe to call from several threads at once on different data.
/// </summary>
public interface ILinearAlgebra
{
    /// <summary>A short name for logs: "openblas", "lapack-reference" or "managed".</summary>
    string Name { get; }

    /// <summary>result (cols x cols, full symmetric) = alpha * X^T X, with X row-major rows x cols.</summary>
    void CrossProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result);

    /// <summary>result (rows x rows, full symmetric) = alpha * X X^T, with X row-major rows x cols.</summary>
    void OuterProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result);

    /// <summary>
    /// Symmetric eigendecomposition of the n x n matrix in <paramref name="matrix"/> (destroyed).
    /// On return <paramref name="eigenvalues"/> holds the n eigenvalues in ascending order and row i of
    /// <paramref name="matrix"/> (elements i*n .. i*n+n-1) holds the unit eigenvector of eigenvalue i.
    /// </summary>
    void SymmetricEigen(Span<double> matrix, int n, Span<double> eigenvalues);

    /// <summary>
    /// C (m x n) = alpha * op(A) * op(B), row-major, where op(A) is m x k (A is k x m when
    /// <paramref name="transposeA"/>) and op(B) is k x n (B is n x k when <paramref name="transposeB"/>).
    /// </summary>
    void Multiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c);
}
