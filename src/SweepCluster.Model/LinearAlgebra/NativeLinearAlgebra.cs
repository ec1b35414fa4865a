using System.Runtime.InteropServices;

namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// <see cref="ILinearAlgebra"/> on a native BLAS/LAPACK with the gfortran LP64 ABI (32-bit integers, every
/// argument by reference, one hidden <c>size_t</c> length per character argument at the end). One class
/// serves OpenBLAS and the reference libraries: it only holds the addresses of <c>dsyrk_</c>,
/// <c>dgemm_</c> and <c>dsyevd_</c>. Obtain instances from <see cref="LinearAlgebraBackends"/>, which
/// loads each library once per process and never unloads it.
/// </summary>
/// <remarks>
/// Row-major/column-major mapping: a row-major r x c matrix is, byte for byte, the column-major c x r
/// matrix (its transpose). <see cref="SymmetricEigen"/> reads only the upper triangle (column &gt;= row)
/// of the row-major matrix, which LAPACK sees as the lower triangle (<c>uplo = 'L'</c>).
/// Instances are immutable and safe to use from several threads at once on different data.
/// </remarks>
public sealed unsafe class NativeLinearAlgebra : ILinearAlgebra
{
    // dsyrk_(uplo, trans, n, k, alpha, a, lda, beta, c, ldc, len(uplo), len(trans))
    private readonly delegate* unmanaged<byte*, byte*, int*, int*, double*, double*, int*, double*, double*, int*, nuint, nuint, void> _dsyrk;

    // dgemm_(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, len(transa), len(transb))
    private readonly delegate* unmanaged<byte*, byte*, int*, int*, int*, double*, double*, int*, double*, int*, double*, double*, int*, nuint, nuint, void> _dgemm;

    // dsyevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len(jobz), len(uplo))
    private readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> _dsyevd;

    internal NativeLinearAlgebra(string name, string description, IntPtr dsyrk, IntPtr dgemm, IntPtr dsyevd)
    {
        if (dsyrk == IntPtr.Zero || dgemm == IntPtr.Zero || dsyevd == IntPtr.Zero)
        {
            throw new ArgumentException("every native entry point must be resolved");
        }

        Name = name;
        Description = description;
        _dsyrk = (delegate* unmanaged<byte*, byte*, int*, int*, double*, double*, int*, double*, double*, int*, nuint, nuint, void>)dsyrk;
        _dgemm = (delegate* unmanaged<byte*, byte*, int*, int*, int*, double*, double*, int*, double*, int*, double*, double*, int*, nuint, nuint, void>)dgemm;
        _dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)dsyevd;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Which files were loaded and, for OpenBLAS, its build configuration and thread count; for logs.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public void CrossProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result)
    {
        LinearAlgebraArguments.CheckProduct(x, rows, cols, result, cols);

        // Column-major, x is the cols x rows matrix X^T, so X^T X = (X^T)(X^T)^T is dsyrk with trans = 'N'.
        SymmetricRankK((byte)'N', order: cols, inner: rows, lda: cols, alpha, x, result);
    }

    /// <inheritdoc />
    public void OuterProduct(ReadOnlySpan<double> x, int rows, int cols, double alpha, Span<double> result)
    {
        LinearAlgebraArguments.CheckProduct(x, rows, cols, result, rows);

        // Column-major, x is the cols x rows matrix X^T, so X X^T = (X^T)^T (X^T) is dsyrk with trans = 'T'.
        SymmetricRankK((byte)'T', order: rows, inner: cols, lda: cols, alpha, x, result);
    }

    /// <inheritdoc />
    public void SymmetricEigen(Span<double> matrix, int n, Span<double> eigenvalues)
    {
        LinearAlgebraArguments.CheckEigen(matrix, n, eigenvalues);
        if (n == 0)
        {
            return;
        }

        // Minimum workspace of dsyevd with jobz = 'V' (LAPACK documentation); the query may ask for more.
        long minWork = n == 1 ? 1 : 1 + (6L * n) + (2L * n * n);
        long minIWork = n == 1 ? 1 : 3 + (5L * n);
        if (minWork > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "dsyevd workspace would exceed the 32-bit LAPACK integer range");
        }

        byte jobz = (byte)'V';
        byte uplo = (byte)'L'; // column-major lower = row-major upper triangle
        int order = n;
        int lda = n;
        int info = 0;

        fixed (double* a = matrix)
        fixed (double* w = eigenvalues)
        {
            double workQuery = 0;
            int iworkQuery = 0;
            int lwork = -1;
            int liwork = -1;
            _dsyevd(&jobz, &uplo, &order, a, &lda, w, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1);
            ThrowOnFailure("dsyevd_ (workspace query)", info);

            lwork = (int)Math.Min(int.MaxValue, Math.Max(minWork, (long)Math.Ceiling(workQuery)));
            liwork = (int)Math.Max(minIWork, iworkQuery);

            double* work = (double*)NativeMemory.Alloc((nuint)lwork, sizeof(double));
            int* iwork = null;
            try
            {
                iwork = (int*)NativeMemory.Alloc((nuint)liwork, sizeof(int));
                _dsyevd(&jobz, &uplo, &order, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
            }
            finally
            {
                NativeMemory.Free(iwork);
                NativeMemory.Free(work);
            }
        }

        ThrowOnFailure("dsyevd_", info);

        // Column j of the column-major result (eigenvector j) is row j of the row-major matrix: nothing to move.
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

        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T. Stored row-major, B is
        // column-major B^T: op(B)^T is that array untransposed when transposeB is false (n x k, ld n)
        // and transposed when it is true (array is k x n, ld k). The same holds for A with m in place of n.
        byte transFirst = transposeB ? (byte)'T' : (byte)'N';
        byte transSecond = transposeA ? (byte)'T' : (byte)'N';
        int rowsC = n;
        int colsC = m;
        int inner = k;
        int ldFirst = transposeB ? k : n;
        int ldSecond = transposeA ? m : k;
        int ldc = n;
        double scale = alpha;
        double beta = 0;

        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            _dgemm(&transFirst, &transSecond, &rowsC, &colsC, &inner, &scale, pb, &ldFirst, pa, &ldSecond, &beta, pc, &ldc, 1, 1);
        }
    }

    private void SymmetricRankK(byte trans, int order, int inner, int lda, double alpha, ReadOnlySpan<double> x, Span<double> result)
    {
        if (order == 0)
        {
            return;
        }

        if (inner == 0)
        {
            result.Clear();
            return;
        }

        // Column-major upper triangle = row-major lower triangle; the row-major upper triangle is then mirrored.
        byte uplo = (byte)'U';
        int n = order;
        int k = inner;
        int ld = lda;
        int ldc = order;
        double scale = alpha;
        double beta = 0; // BLAS: C need not be set on input when beta is zero

        fixed (double* px = x)
        fixed (double* pc = result)
        {
            _dsyrk(&uplo, &trans, &n, &k, &scale, px, &ld, &beta, pc, &ldc, 1, 1);
        }

        SymmetricStorage.CopyLowerToUpper(result, order);
    }

    private static void ThrowOnFailure(string routine, int info)
    {
        if (info < 0)
        {
            throw new InvalidOperationException($"{routine} failed with info = {info}: argument {-info} had an illegal value");
        }

        if (info > 0)
        {
            throw new InvalidOperationException($"{routine} failed with info = {info}: the eigenvalue algorithm did not converge");
        }
    }
}
