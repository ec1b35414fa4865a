namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// orth(G) of spec S-15.1: the Q factor of the thin QR decomposition with diag(R) &gt; 0, computed by
/// modified Gram-Schmidt on the columns in order (the same Q in exact arithmetic, and portable).
/// </summary>
public static class Orthonormal
{
    /// <summary>Q (rows x cols, row-major) of G (rows x cols, row-major).</summary>
    public static double[] Columns(ReadOnlySpan<double> g, int rows, int cols)
    {
        if (rows < 1 || cols < 1 || cols > rows)
        {
            throw new ArgumentException($"need 1 <= cols <= rows, got a {rows} x {cols} matrix", nameof(g));
        }

        if (g.Length != rows * cols)
        {
            throw new ArgumentException($"a {rows} x {cols} matrix needs {rows * cols} entries, got {g.Length}", nameof(g));
        }

        // Work column by column in a transposed copy so that each column is contiguous.
        var q = new double[cols * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                q[(j * rows) + i] = g[(i * cols) + j];
            }
        }

        for (int j = 0; j < cols; j++)
        {
            var v = q.AsSpan(j * rows, rows);
            for (int p = 0; p < j; p++)
            {
                var u = q.AsSpan(p * rows, rows);
                double dot = 0;
                for (int i = 0; i < rows; i++)
                {
                    dot += u[i] * v[i];
                }

                for (int i = 0; i < rows; i++)
                {
                    v[i] -= dot * u[i];
                }
            }

            double norm = 0;
            for (int i = 0; i < rows; i++)
            {
                norm += v[i] * v[i];
            }

            norm = Math.Sqrt(norm);
            if (!(norm > 0))
            {
                throw new ArgumentException($"column {j} is linearly dependent on the previous ones", nameof(g));
            }

            for (int i = 0; i < rows; i++)
            {
                v[i] /= norm;
            }
        }

        var result = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                result[(i * cols) + j] = q[(j * rows) + i];
            }
        }

        return result;
    }
}
