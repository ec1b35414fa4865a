namespace SweepCluster.Sweeps.Grids;

/// <summary>An axis as read from the file, before zip groups and repeated values are resolved.</summary>
/// <param name="Key">The axis name ("spectrum" for the k short form).</param>
/// <param name="FileKey">The key as written in the file ("k" for the short form); errors name this one.</param>
/// <param name="At">Where the key is.</param>
internal sealed record RawAxis(string Key, string FileKey, GridLocation At)
{
    public List<AxisValue> Items { get; } = [];

    public List<T> Values<T>() => [.. Items.Select(i => (T)i.Value)];

    public void KeepOnly(IReadOnlyList<int> indices)
    {
        var kept = indices.Select(i => Items[i]).ToList();
        Items.Clear();
        Items.AddRange(kept);
    }

    /// <summary>Drops repeated values, keeping the first of each (rounding can make neighbours of a log range equal).</summary>
    public void RemoveRepeats()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Items.RemoveAll(i => !seen.Add(i.Identity));
    }
}
