namespace SweepCluster.Model.LinearAlgebra;

/// <summary>Helpers for full (both triangles stored) row-major symmetric matrices.</summary>
internal static class SymmetricStorage
{
    private const int Block = 64;

    /// <summary>Copies the lower triangle (column &lt; row) onto the upper one, so the matrix is exactly symmetric.</summary>
    public static void CopyLowerToUpper(Span<double> matrix, int n)
    {
        // Blocked so that both the rows written and the columns read stay in cache for large n.
        for (int rowBlock = 0; rowBlock < n; rowBlock += Block)
        {
            int rowEnd = Math.Min(rowBlock + Block, n);
            for (int colBlock = rowBlock; colBlock < n; colBlock += Block)
            {
                int colEnd = Math.Min(colBlock + Block, n);
                for (int row = rowBlock; row < rowEnd; row++)
                {
                    for (int col = Math.Max(colBlock, row + 1); col < colEnd; col++)
                    {
                        matrix[(row * n) + col] = matrix[(col * n) + row];
                    }
                }
            }
        }
    }

    /// <summary>Copies the upper triangle (column &gt;= row) of <paramref name="source"/> into both triangles of <paramref name="destination"/>.</summary>
    public static void SymmetrizeFromUpper(ReadOnlySpan<double> source, Span<double> destination, int n)
    {
        for (int row = 0; row < n; row++)
        {
            for (int col = row; col < n; col++)
            {
                double value = source[(row * n) + col];
                destination[(row * n) + col] = value;
                destination[(col * n) + row] = value;
            }
        }
    }
}
