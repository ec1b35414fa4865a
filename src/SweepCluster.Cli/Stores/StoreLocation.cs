using SweepCluster.Sweeps.Files;

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

    /// <summary>
    /// The store a description names: postgres:// or postgresql:// is PostgreSQL; anything else with "://" is refused
    /// (a mistyped scheme would otherwise become a SQLite path, creating folders named after the URL); the rest is a
    /// SQLite file path, with or without a sqlite: prefix.
    /// </summary>
    /// <param name="value">The description.</param>
    /// <param name="source">Where it came from (--store, --store-file FILE, SWEEP_STORE), for messages.</param>
    /// <exception cref="StoreLocationException">An unsupported scheme; the message shows the scheme, never the rest.</exception>
    public static StoreLocation Parse(string value, string source = "--store")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        value = value.Trim();
        int separator = value.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            string scheme = value[..separator];
            if (PostgresUrl.Schemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            {
                // Refuses a URL without a host or with an impossible port now, before any process starts on it.
                _ = PostgresUrl.ToConnectionString(value);
                return new StoreLocation(true, value);
            }

            throw new StoreLocationException(UnsupportedScheme(scheme, source));
        }

        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["sqlite:".Length..];
        }

        return new StoreLocation(false, value);
    }

    private static string UnsupportedScheme(string scheme, string source)
    {
        // Only a well-formed scheme is echoed: in "user:secret@host://..." the part before :// is not one and may hold a password.
        bool wellFormed = scheme.Length is > 0 and <= 32 && char.IsAsciiLetter(scheme[0]) && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        string shown = wellFormed ? $"'{scheme}://'" : "its scheme";
        string hint = !wellFormed ? string.Empty
            : scheme.Contains("sqlite", StringComparison.OrdinalIgnoreCase) ? " (for SQLite give the file's path, or sqlite:PATH)"
            : scheme.Contains("postgres", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("pg", StringComparison.OrdinalIgnoreCase) ? " (did you mean postgres://?)"
            : string.Empty;
        return $"{source}: the store URL's scheme {shown} is not supported{hint}; a store is a SQLite file path or postgres://user:password@host:port/database";
    }

    /// <summary>
    /// Resolves the store from the options and the environment; <paramref name="fallback"/> gives the default
    /// (for `run`, the grid's own file under ./sweeps). Throws <see cref="StoreLocationException"/> when none is known.
    /// </summary>
    public static StoreLocation Resolve(string? option, string? secretFile, Func<StoreLocation?>? fallback = null)
    {
        if (option is not null && string.IsNullOrWhiteSpace(option))
        {
            throw new StoreLocationException("--store: the value is empty; give a SQLite file path or postgres://user:password@host:port/database");
        }

        if (secretFile is not null && string.IsNullOrWhiteSpace(secretFile))
        {
            throw new StoreLocationException("--store-file: the value is empty; give the file that holds the store URL");
        }

        bool hasOption = option is not null;
        bool hasFile = secretFile is not null;
        if (hasOption && hasFile)
        {
            throw new StoreLocationException("--store and --store-file both name a store; give only one of them");
        }

        if (hasOption)
        {
            return Parse(option!, "--store");
        }

        if (hasFile)
        {
            return Parse(ReadSecretFile(secretFile!), $"--store-file {secretFile}");
        }

        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Parse(env, EnvironmentVariable);
        }

        return fallback?.Invoke() ?? throw new StoreLocationException($"no store given: use --store FILE|postgres://..., --store-file FILE or {EnvironmentVariable}");
    }

    private static string ReadSecretFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new StoreLocationException($"--store-file: {path} does not exist");
        }

        if (RegularFile.WhatElse(path) is { } what)
        {
            throw new StoreLocationException($"--store-file: {path} is {what}, not a regular file; give the file that holds the store URL");
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreLocationException($"--store-file: {path} cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})");
        }

        return text.Length > 0 ? text : throw new StoreLocationException($"--store-file: {path} is empty");
    }

    /// <summary>The folder `run` puts its stores in (./sweeps/&lt;grid name&gt;.db) and other commands look in.</summary>
    public const string DefaultFolder = "sweeps";

    /// <summary>./sweeps/&lt;sweep&gt;.db, where `run` of that grid keeps it, if that file exists; null for no sweep or no file.</summary>
    public static StoreLocation? ForSweep(string? sweep)
    {
        if (string.IsNullOrWhiteSpace(sweep) || sweep.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return null;
        }

        string file = Path.Combine(DefaultFolder, sweep + ".db");
        return File.Exists(file) ? new StoreLocation(false, file) : null;
    }

    /// <summary>Every SQLite store under ./sweeps, by file name.</summary>
    public static IReadOnlyList<StoreLocation> AllDefaults() =>
        Directory.Exists(DefaultFolder)
            ? Directory.GetFiles(DefaultFolder, "*.db").Order(StringComparer.Ordinal).Select(f => new StoreLocation(false, f)).ToArray()
            : [];

    /// <summary>The only SQLite store under ./sweeps, for commands run right after `sweep run`.</summary>
    public static StoreLocation? SingleDefault()
    {
        const string folder = DefaultFolder;
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.GetFiles(folder, "*.db");
        return files.Length switch
        {
            1 => new StoreLocation(false, files[0]),
            0 => null,
            _ => throw new StoreLocationException($"several stores in ./{folder} ({string.Join(", ", files.Select(Path.GetFileName))}): name the sweep (its store ./{folder}/<sweep>.db is then found) or pick one with --store; `sweep list` shows every sweep"),
        };
    }
}
