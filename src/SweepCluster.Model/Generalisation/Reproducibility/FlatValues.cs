namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// A result as flat key -&gt; value pairs with dotted keys ("pair0.exact.nmsd"), the layout of the spec's
/// reference files: scalars and vectors. A value the spec reports as null (a ratio score at N = 1) is NaN.
/// </summary>
public sealed class FlatValues
{
    private readonly SortedDictionary<string, double> _scalars = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double[]> _vectors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Scalars => _scalars;

    public IReadOnlyDictionary<string, double[]> Vectors => _vectors;

    public IEnumerable<string> Keys => _scalars.Keys.Concat(_vectors.Keys);

    public void Add(string key, double value) => _scalars.Add(key, value);

    public void Add(string key, double[] values) => _vectors.Add(key, values);

    /// <summary>The value of a key as a vector (a scalar is a vector of length 1).</summary>
    public bool TryGet(string key, out double[] values)
    {
        if (_scalars.TryGetValue(key, out double v))
        {
            values = [v];
            return true;
        }

        return _vectors.TryGetValue(key, out values!);
    }
}
