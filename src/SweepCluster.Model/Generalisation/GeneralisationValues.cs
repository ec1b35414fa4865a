namespace SweepCluster.Model.Generalisation;

/// <summary>
/// The one result shape of every generalisation family: named scalars and vectors under dotted keys
/// ("pair0.exact.nmsd", "seed1.B_inf", "mean.mse"), the layout of the spec's reference files, so that the
/// reference runner and the sweep engine read every family the same way. A value the spec reports as null
/// (a ratio score at N = 1) is NaN.
/// </summary>
public sealed class GeneralisationValues
{
    private readonly SortedDictionary<string, double> _scalars = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double[]> _vectors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Scalars => _scalars;

    public IReadOnlyDictionary<string, double[]> Vectors => _vectors;

    public IEnumerable<string> Keys => _scalars.Keys.Concat(_vectors.Keys);

    /// <summary>Any key's value as a vector (a scalar is a vector of length 1).</summary>
    public double[] this[string key] =>
        TryGet(key, out var values) ? values : throw new KeyNotFoundException($"no generalisation value '{key}'");

    public void Add(string key, double value) => _scalars.Add(key, value);

    public void Add(string key, double[] values) => _vectors.Add(key, values);

    public bool ContainsKey(string key) => _scalars.ContainsKey(key) || _vectors.ContainsKey(key);

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
