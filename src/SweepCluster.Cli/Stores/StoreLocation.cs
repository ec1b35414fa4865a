namespace SweepCluster.Cli.Stores;

/// <summary>
/// Where the store is: a SQLite file (embedded) or a PostgreSQL URL (cluster). Taken from --store,
/// --store-file (a mounted secret holding the URL), or the SWEEP_STORE environment variable, in that order.
/// <see cref="Redacted"/> is the only form that may appear in logs and messages.
/// </summary>
public sealed record StoreLocation(bool IsPostgres, string Value)
{
    public const string EnvironmentVariable = "SWEEP_STORE";

    /// <summary>The location without any password.</summary>
    public string Redacted => IsPostgres ? PostgresUrl.Redact(Value) : "sqlite:" + Path.GetFullPath(Value);

    public override string ToString() => Redacted;

    public static StoreLocation Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreLocation(true, value);
        }

        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["sqlite:".Length..];
        }

        return new StoreLocation(false, value);
    }

    /// <summary>
    /// Resolves the store from the options and the environment; <paramref name="fallback"/> gives the default
    /// (for `run`, the grid's own file under ./sweeps). Throws <see cref="StoreLocationException"/> when none is known.
    /// </summary>
    public static StoreLocation Resolve(string? option, string? secretFile, Func<StoreLocation?>? fallback = null)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Parse(option);
        }

        if (!string.IsNullOrWhiteSpace(secretFile))
        {
            if (!File.Exists(secretFile))
            {
                throw new StoreLocationException($"--store-file: {secretFile} does not exist");
            }

            string text = File.ReadAllText(secretFile).Trim();
            if (text.Length == 0)
            {
                throw new StoreLocationException($"--store-file: {secretFile} is empty");
            }

            return Parse(text);
        }

        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Parse(env);
        }

        return fallback?.Invoke() ?? throw new StoreLocationException($"no store given: use --store FILE|postgres://..., --store-file FILE or {EnvironmentVariable}");
    }

    /// <summary>The only SQLite store under ./sweeps, for commands run right after `sweep run`.</summary>
    public static StoreLocation? SingleDefault()
    {
        const string folder = "sweeps";
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.GetFiles(folder, "*.db");
        return files.Length switch
        {
            1 => new StoreLocation(false, files[0]),
            0 => null,
            _ => throw new StoreLocationException($"several stores in ./{folder} ({string.Join(", ", files.Select(Path.GetFileName))}): pick one with --store"),
        };
    }
}
