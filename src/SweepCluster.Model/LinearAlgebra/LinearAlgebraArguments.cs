namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// Argument checks shared by every <see cref="ILinearAlgebra"/> backend, so that all backends reject the
/// same calls with the same messages. Native backends depend on these: nothing illegal may reach a
/// native library, whose XERBLA prints to stderr and, depending on the build, returns silently or stops
/// the whole process (the netlib Fortran XERBLA calls STOP), and which cannot check span bounds.
/// Span lengths must match the stated dimensions exactly.
/// </summary>
internal static class LinearAlgebraArguments
{
    public static void CheckProduct(ReadOnlySpan<double> x, int rows, int cols, Span<double> result, int resultOrder)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        CheckLength(x.Length, (long)rows * cols, "x", $"rows x cols = {rows} x {cols}");
        CheckLength(result.Length, (long)resultOrder * resultOrder, "result", $"{resultOrder} x {resultOrder}");
        CheckNoOverlap(x, result, "x", "result");
    }

    public static void CheckEigen(Span<double> matrix, int n, Span<double> eigenvalues)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        CheckLength(matrix.Length, (long)n * n, "matrix", $"{n} x {n}");
        CheckLength(eigenvalues.Length, n, "eigenvalues", $"n = {n}");
        CheckNoOverlap(matrix, eigenvalues, "matrix", "eigenvalues");

        // A NaN or infinity makes LAPACK return garbage (or fail to converge after a long time) and makes the
        // managed solver iterate to its limit; reject it up front, in O(n^2), the same way for every backend.
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<double> upper = matrix.Slice((row * n) + row, n - row);
            for (int j = 0; j < upper.Length; j++)
            {
                if (!double.IsFinite(upper[j]))
                {
                    throw new ArgumentException($"matrix element ({row}, {row + j}) is {upper[j]}; the matrix must be finite", nameof(matrix));
                }
            }
        }
    }

    public static void CheckMultiply(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(a.Length, (long)m * k, "a", transposeA ? $"k x m = {k} x {m}" : $"m x k = {m} x {k}");
        CheckLength(b.Length, (long)k * n, "b", transposeB ? $"n x k = {n} x {k}" : $"k x n = {k} x {n}");
        CheckLength(c.Length, (long)m * n, "c", $"m x n = {m} x {n}");
        CheckNoOverlap(a, c, "a", "c");
        CheckNoOverlap(b, c, "b", "c");
    }

    private static void CheckLength(int actual, long expected, string name, string shape)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} holds {actual} values but {shape} needs exactly {expected}", name);
        }
    }

    private static void CheckNoOverlap(ReadOnlySpan<double> input, ReadOnlySpan<double> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException($"{outputName} must not overlap {inputName}", outputName);
        }
    }
}
