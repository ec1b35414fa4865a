using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cli.Hosting;

/// <summary>
/// The process's Prometheus registry (prometheus-net): the node's instruments (<see cref="NodeMetrics"/>) with their
/// types kept (a .NET counter is a Prometheus counter, a histogram a histogram), plus the .NET runtime and process
/// metrics. One per process, so that counters survive a worker's rejoin and a restarted HTTP endpoint.
/// </summary>
/// <remarks>
/// prometheus-net's own MeterAdapter exports every .NET counter as a gauge and drops series idle for minutes; an
/// alert on rate(..._total) needs counters that stay, hence this small bridge.
/// </remarks>
public sealed class MetricsExport : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, PrometheusName> _names = new();
    private readonly object _gaugeGate = new();

    // Gauge series reported in the running collection; those missing from it (a sweep no longer watched, the node
    // id before a rejoin) are removed after it.
    private readonly Dictionary<Gauge, HashSet<string[]>> _gaugeSeen = [];
    private readonly Dictionary<Gauge, HashSet<string[]>> _gaugeBefore = [];

    public MetricsExport(NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _factory = Metrics.WithCustomRegistry(Registry);
        var meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                _names[instrument] = PrometheusName.Of(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(CollectGauges);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _listener.Dispose();

    private void CollectGauges()
    {
        lock (_gaugeGate)
        {
            _gaugeSeen.Clear();
            _listener.RecordObservableInstruments();
            foreach (var (gauge, before) in _gaugeBefore)
            {
                var seen = _gaugeSeen.GetValueOrDefault(gauge);
                foreach (var labels in before.Where(l => seen is null || !seen.Contains(l)))
                {
                    gauge.RemoveLabelled(labels);
                }
            }

            _gaugeBefore.Clear();
            foreach (var (gauge, seen) in _gaugeSeen)
            {
                _gaugeBefore[gauge] = seen;
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_names.TryGetValue(instrument, out var name))
        {
            return;
        }

        // prometheus-net wants the same label names in the same order for every series of a metric.
        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        string[] labelNames = sorted.Select(t => t.Key).ToArray();
        string[] labelValues = sorted.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray();
        string help = instrument.Description ?? name.Value;
        switch (instrument)
        {
            case Counter<long> or Counter<double>:
                _factory.CreateCounter(name.Value, help, labelNames).WithLabels(labelValues).Inc(value);
                break;
            case Histogram<long> or Histogram<double>:
                var buckets = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? Histogram.ExponentialBuckets(0.001, 4, 12);
                _factory.CreateHistogram(name.Value, help, labelNames, new HistogramConfiguration { Buckets = buckets }).WithLabels(labelValues).Observe(value);
                break;
            default:
                // Observable gauges: called from CollectGauges, under its lock.
                var gauge = _factory.CreateGauge(name.Value, help, labelNames);
                gauge.WithLabels(labelValues).Set(value);
                if (!_gaugeSeen.TryGetValue(gauge, out var seen))
                {
                    _gaugeSeen[gauge] = seen = new HashSet<string[]>(LabelValuesComparer.Instance);
                }

                seen.Add(labelValues);
                break;
        }
    }

    /// <summary>The Prometheus name of an instrument: dots to underscores, then the unit's suffix and _total for counters (as OpenTelemetry's exporters name them).</summary>
    private sealed record PrometheusName(string Value)
    {
        public static PrometheusName Of(Instrument instrument)
        {
            string name = instrument.Name.Replace('.', '_');
            if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
            {
                name += "_seconds";
            }

            if (instrument is Counter<long> or Counter<double>)
            {
                name += "_total";
            }

            return new PrometheusName(name);
        }
    }

    private sealed class LabelValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is null ? y is null : y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] obj)
        {
            var hash = new HashCode();
            foreach (string s in obj)
            {
                hash.Add(s, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
