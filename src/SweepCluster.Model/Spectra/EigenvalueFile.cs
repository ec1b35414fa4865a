using System.Globalization;

namespace SweepCluster.Model.Spectra;

/// <summary>
/// Parses an eigenvalue file (spec S-7.1): numbers separated by white space or new lines, '#' starts a
/// comment. The caller reads the file; this type only interprets its text, so the model stays free of I/O.
/// </summary>
public static class EigenvalueFile
{
    /// <summary>Eigenvalues below this fraction of the largest are dropped as numerical zeros.</summary>
    public const double RelativeCutoff = 1e-12;

    /// <param name="text">The file's content.</param>
    /// <param name="source">The file name, used in error messages.</param>
    /// <param name="d">Keep the d largest eigenvalues; null keeps all.</param>
    /// <param name="normalize">Rescale so that Tr Sigma / d = 1.</param>
    public static Spectrum Parse(string text, string source, int? d = null, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<double>();
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine;
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            foreach (string token in line.Split([' ', '\t', '\r', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    // The text itself stays out of the message: a file that is not what it claims (a key, a
                    // password file given by mistake) must not end up in a terminal, a log or a CI transcript.
                    throw new SpectrumFormatException(source, lineNumber, "the line is not a list of numbers (an eigenvalue file holds numbers, white space and '#' comments; the line is not shown)");
                }

                if (double.IsNaN(v) || double.IsInfinity(v))
                {
                    throw new SpectrumFormatException(source, lineNumber, "the line holds a value that is not a finite number (NaN or infinity)");
                }

                values.Add(v);
            }
        }

        if (values.Count == 0)
        {
            throw new SpectrumFormatException(source, null, "the file holds no eigenvalues");
        }

        values.Sort((x, y) => y.CompareTo(x));
        if (!(values[0] > 0))
        {
            throw new SpectrumFormatException(source, null, "every eigenvalue is zero or negative; a covariance spectrum needs positive values");
        }

        double cutoff = values[0] * RelativeCutoff;
        var kept = values.Where(v => v > cutoff).ToList();
        if (d is int wanted)
        {
            if (wanted < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(d), wanted, "d must be at least 1");
            }

            if (wanted > kept.Count)
            {
                throw new SpectrumFormatException(source, null, $"the file has {kept.Count} usable eigenvalues (positive, above {RelativeCutoff:g} of the largest) but d = {wanted} needs that many");
            }

            kept = kept.GetRange(0, wanted);
        }

        if (normalize)
        {
            double scale = kept.Count / kept.Sum();
            for (int i = 0; i < kept.Count; i++)
            {
                kept[i] *= scale;
            }
        }

        return new Spectrum(kept);
    }
}
