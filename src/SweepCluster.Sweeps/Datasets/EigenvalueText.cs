using System.Globalization;
using System.Text;

namespace SweepCluster.Sweeps.Datasets;

/// <summary>
/// Writes eigenvalues in the eigenvalue-file format that grid files (<c>spectrum: {file: ...}</c>) and
/// <c>sweep cell --spectrum-file</c> read (docs/model.md S-7.1): '#' comment lines, then one number per line.
/// </summary>
public static class EigenvalueText
{
    /// <summary>
    /// The file's text: each header line as a comment, then the values one per line in round-trip
    /// precision, so that reading the file gives back exactly these doubles. Line ends are '\n'.
    /// </summary>
    public static string Format(IEnumerable<string> header, IEnumerable<double> eigenvalues)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        var text = new StringBuilder();
        foreach (string line in header)
        {
            foreach (string part in line.Split('\n'))
            {
                text.Append(part.Length == 0 ? "#" : "# ").Append(part.TrimEnd('\r')).Append('\n');
            }
        }

        foreach (double v in eigenvalues)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"eigenvalue {v} is not finite; an eigenvalue file holds finite numbers only", nameof(eigenvalues));
            }

            text.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
