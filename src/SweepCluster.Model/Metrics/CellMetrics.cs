namespace SweepCluster.Model.Metrics;

/// <summary>
/// The metrics of one computation (one training set, or the theory): scalars such as "eps_test_tavg" or
/// "dkl_ideal_fwd", and per-step series such as "eps_test_t" (one value per reported t). Keys follow
/// <see cref="MetricNames"/>; insertion order is kept so that outputs read in a stable order.
/// </summary>
public sealed class CellMetrics
{
    private readonly List<KeyValuePair<string, double>> _scalars = [];
    private readonly List<KeyValuePair<string, double[]>> _series = [];

    public IReadOnlyList<KeyValuePair<string, double>> Scalars => _scalars;

    public IReadOnlyList<KeyValuePair<string, double[]>> Series => _series;

    public void SetScalar(string name, double value)
    {
        int i = _scalars.FindIndex(p => p.Key == name);
        if (i >= 0)
        {
            _scalars[i] = new(name, value);
        }
        else
        {
            _scalars.Add(new(name, value));
        }
    }

    public void SetSeries(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int i = _series.FindIndex(p => p.Key == name);
        if (i >= 0)
        {
            _series[i] = new(name, values);
        }
        else
        {
            _series.Add(new(name, values));
        }
    }

    public bool TryGetScalar(string name, out double value)
    {
        foreach (var p in _scalars)
        {
            if (p.Key == name)
            {
                value = p.Value;
                return true;
            }
        }

        value = double.NaN;
        return false;
    }

    public bool TryGetSeries(string name, out double[] values)
    {
        foreach (var p in _series)
        {
            if (p.Key == name)
            {
                values = p.Value;
                return true;
            }
        }

        values = [];
        return false;
    }

    public double Scalar(string name) => TryGetScalar(name, out double v) ? v : throw new KeyNotFoundException($"no scalar metric '{name}'");

    public double[] GetSeries(string name) => TryGetSeries(name, out var v) ? v : throw new KeyNotFoundException($"no series metric '{name}'");
}
