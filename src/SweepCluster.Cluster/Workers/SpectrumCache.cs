using System.Collections.Concurrent;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Spectra;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Workers;

/// <summary>
/// Spectra for compute slots. File spectra come from the store by content hash (a worker pod has no grid
/// files); they are fetched before a unit starts so that the compute itself never waits on I/O.
/// </summary>
public sealed class SpectrumCache
{
    private readonly ConcurrentDictionary<string, string> _texts = new();
    private readonly ConcurrentDictionary<(string Key, int D), Spectrum> _spectra = new();

    public async Task PrefetchAsync(ISweepStore store, IEnumerable<SpectrumSpec> specs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(specs);
        foreach (var spec in specs.Where(s => s.Kind == SpectrumKind.File).Distinct())
        {
            string hash = spec.ContentHash ?? throw new InvalidOperationException("a file spectrum without a content hash");
            if (!_texts.ContainsKey(hash))
            {
                string text = await store.GetSpectrumAsync(hash, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"spectrum {hash} is not in the store");
                _texts[hash] = text;
            }
        }
    }

    public Spectrum Get(SpectrumSpec spec, int d)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string key = Sweeps.Cells.CellParameters.SpectrumKey(spec);
        return _spectra.GetOrAdd((key, d), _ => SpectrumFactory.Create(spec, d, _ => _texts[spec.ContentHash!]));
    }
}
