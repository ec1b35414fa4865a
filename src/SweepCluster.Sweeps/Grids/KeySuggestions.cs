namespace SweepCluster.Sweeps.Grids;

/// <summary>"Did you mean" for misspelt keys, by edit distance.</summary>
internal static class KeySuggestions
{
    /// <summary>The closest allowed key, or null when none is close enough to be a plausible typo.</summary>
    public static string? Closest(string key, IEnumerable<string> allowed)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in allowed)
        {
            // Keys are case-sensitive (t and T differ), but a case slip is the likeliest typo of all.
            int distance = string.Equals(key, candidate, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // One edit for short keys, up to a third of the length for long ones: "dynamcis" finds "dynamics",
        // "lr" finds nothing rather than an unrelated one-letter key.
        int limit = Math.Max(1, Math.Min(3, key.Length / 3));
        return bestDistance <= limit && bestDistance < key.Length ? best : null;
    }

    /// <summary>The message tail for an unknown key: a suggestion when there is one, then every allowed key.</summary>
    public static string Describe(string key, IReadOnlyCollection<string> allowed, string noun = "key")
    {
        string? suggestion = Closest(key, allowed);
        string hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return $"unknown {noun} '{key}'{hint}; allowed: {string.Join(", ", allowed)}";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
