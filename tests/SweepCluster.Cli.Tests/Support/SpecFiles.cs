using System.Text.Json;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>The spec's reference values (shared/spec beside the project, or SWEEP_SPEC_DIR).</summary>
public static class SpecFiles
{
    public static JsonElement Reference(string id)
    {
        string dir = Environment.GetEnvironmentVariable("SWEEP_SPEC_DIR") ?? FindUp();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "reference-public.json")));
        return doc.RootElement.GetProperty("configs").EnumerateArray().First(c => c.GetProperty("id").GetString() == id).Clone();
    }

    /// <summary>The path of generalisation-public.json (spec S-12 .. S-16 reference values).</summary>
    public static string GeneralisationPath() =>
        Path.Combine(Environment.GetEnvironmentVariable("SWEEP_SPEC_DIR") ?? FindUp(), "generalisation-public.json");

    private static string FindUp()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "spec");
            if (File.Exists(Path.Combine(candidate, "reference-public.json")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("shared/spec/reference-public.json not found; set SWEEP_SPEC_DIR");
    }
}
