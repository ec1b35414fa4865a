using System.Globalization;
using System.Reflection;

namespace SweepCluster.Storage.Schema;

/// <summary>
/// The numbered scripts under <c>Migrations/&lt;provider&gt;/</c> (embedded resources named
/// <c>NNNN_what.sql</c>). Versions must run 1, 2, 3... without gaps: a gap means a script was lost from
/// the build, and applying the ones around it would leave a schema nobody designed.
/// </summary>
internal static class MigrationScripts
{
    private const string ResourceRoot = "SweepCluster.Storage.Migrations.";

    public static IReadOnlyList<MigrationScript> Load(string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        var assembly = typeof(MigrationScripts).Assembly;
        string prefix = ResourceRoot + provider + ".";
        var scripts = new List<MigrationScript>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            string name = resource[prefix.Length..];
            int underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                throw new InvalidOperationException($"migration script '{name}' of {provider} does not start with its version number (expected NNNN_what.sql)");
            }

            scripts.Add(new MigrationScript(version, name, Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"the {provider} migration scripts must be numbered 1, 2, 3... without gaps or duplicates; found {string.Join(", ", scripts.Select(s => s.Name))}");
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"no migration scripts are embedded for {provider} (expected resources under {prefix})");
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} disappeared");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
