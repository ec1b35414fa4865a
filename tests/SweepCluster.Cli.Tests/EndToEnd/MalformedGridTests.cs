using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// Malformed grid files through `sweep run` and `sweep validate`: exit code 2, a message naming the file,
/// line and key of the problem, and nothing written (no ./sweeps/NAME.db, no log, no export).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class MalformedGridTests
{
    /// <summary>Case name, grid text, the location (line:column or just line) and key the message must name, and a word of the message.</summary>
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        { "syntax", "name: bad\nd: 20\nN: [10, 20\nk: 0\n", ":3:", "N", "syntax error" },
        { "unknown-key", "name: bad\nd: 20\nN: 10\ndynamcis: gd\n", ":4:1", "dynamcis", "did you mean 'dynamics'" },
        { "wrong-type", "name: bad\nd: abc\nN: 10\n", ":2:4", "d", "not a number" },
        { "empty-axis", "name: bad\nd: 20\nN: 10\nc: []\n", ":4:4", "c", "empty" },
        { "empty-range", "name: bad\nd: 20\nN: 10\nc: {linspace: [0, 1, 0]}\n", ":4:4", "c", "count is 0" },
        { "n-below-2", "name: bad\nd: 20\nN: [10, 1]\n", ":3:9", "N", ">= 2" },
        { "n-over-d-below-2", "name: bad\nd: 20\nn_over_d: 0.05\n", ":3:1", "n_over_d", "N must be at least 2" },
        { "negative-c", "name: bad\nd: 20\nN: 10\nc: -1\n", ":4:4", "c", ">= 0" },
        { "unstable-eta", "name: bad\nd: 20\nN: 10\ntau: 100\neta: 50\n", ":5:1", "eta", "eta <" },
        { "missing-spectrum-file", "name: bad\nd: 20\nN: 10\nspectrum: {file: nothere.txt}\n", ":4:18", "spectrum", "'nothere.txt' does not exist" },
        { "malformed-spectrum-file", "name: bad\nd: 2\nN: 10\nspectrum: {file: eigs.txt}\n", ":4:18", "spectrum", "eigs.txt', line 3" },
        { "short-spectrum-file", "name: bad\nd: 5\nN: 10\nspectrum: {file: eigs.txt}\n", ":4:1", "spectrum", "3 usable eigenvalues" },
        { "n-and-n-over-d", "name: bad\nd: 20\nN: 10\nn_over_d: 2\n", ":4:1", "n_over_d", "both" },
        { "zip-lengths", "name: bad\nd: [20, 40]\nN: [10, 20, 30]\nzip: [d, N]\n", ":4:6", "zip", "equal lengths" },
        { "t-out-of-range", "name: bad\nd: 20\nN: 10\nT: 100\nt: [0, 100]\n", ":5:8", "t", "0..99" },
        { "duplicate-key", "name: bad\nd: 20\nN: 10\nd: 30\n", ":4:1", "d", "Duplicate" },
        { "missing-d", "name: bad\nN: 10\n", ":1:1", "d", "missing" },
        { "beta-max", "name: bad\nd: 20\nN: 10\nbeta_max: 1\n", ":4:11", "beta_max", "[beta_min, 1)" },
        { "negative-tau", "name: bad\nd: 20\nN: 10\ntau: -5\n", ":4:6", "tau", ">= 0" },
        { "dynamics-name", "name: bad\nd: 20\nN: 10\ntau: 10\ndynamics: adam\n", ":5:11", "dynamics", "unknown dynamics 'adam'" },
        { "repro-ode-finite-tau", "name: bad\nfamily: repro\nd: 20\nN: 10\ntau: 100\nsampler: ode\n", ":6:1", "sampler", "needs tau = inf" },
        { "molrg-kr-above-d", "name: bad\nfamily: molrg\nd: 10\nK: 3\nr: 4\nNk: 5\n", ":5:1", "r", "K r = 12 exceeds d = 10" },
        { "molrg-k-above-5", "name: bad\nfamily: molrg\nd: 30\nK: 6\nr: 1\nNk: 5\n", ":4:4", "K", "from 1 to 5" },
        { "family-key-without-family", "name: bad\nd: 20\nN: 10\npairs: 2\n", ":4:1", "pairs", "add 'family: repro'" },
        { "too-many-cells", "name: bad\nd: {linspace: [1, 1000, 1000]}\nN: 10\nseeds: 1000000\n", ":1:1", "grid", "1000001000 cells (1000 points x (1000000 seeds + 1 theory cell)); at most 2000000" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValidateAndRunRejectTheGridNameTheProblemAndWriteNothing(string name, string grid, string location, string key, string message)
    {
        using var folder = new TempFolder("bad-" + name);
        folder.Write("bad.yaml", grid);
        // Line 3 is not a number (malformed); the short file has 3 usable eigenvalues, too few for d = 5.
        folder.Write("eigs.txt", name == "short-spectrum-file" ? "3\n2\n1\n" : "3\n2\nnot-a-number\n");
        var before = folder.Files();

        foreach (string command in new[] { "validate", "run" })
        {
            var result = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, command, "bad.yaml");
            string what = $"sweep {command} of the '{name}' grid";
            Assert.True(result.ExitCode == 2, $"{what} exited with {result.ExitCode}, expected 2:\n{result.Stderr}\n{result.Stdout}");
            Assert.True(result.Stdout.Length == 0, $"{what} printed on standard output:\n{result.Stdout}");
            string expected = $"bad.yaml{location}";
            Assert.True(result.Stderr.Contains(expected, StringComparison.Ordinal), $"{what} does not name the place {expected}:\n{result.Stderr}");
            string line = result.Stderr.Split('\n').First(l => l.Contains(expected, StringComparison.Ordinal));
            Assert.True(line.Contains($" {key}: ", StringComparison.Ordinal), $"{what} does not name the key '{key}' on the line of the problem:\n{line}");
            Assert.True(line.Contains(message, StringComparison.OrdinalIgnoreCase), $"{what} does not say '{message}':\n{line}");
            Assert.Contains("nothing was written", result.Stderr, StringComparison.Ordinal);

            // Nothing written: no ./sweeps/bad.db (the default store of run), no log, no exports, no other file.
            Assert.False(File.Exists(folder["sweeps/bad.db"]), $"{what} created sweeps/bad.db");
            Assert.Equal(before, folder.Files());
            Assert.False(Directory.Exists(folder["sweeps"]), $"{what} created the sweeps folder");
        }
    }

    [Fact]
    public void EveryProblemOfAFileIsReportedAtOnce()
    {
        using var folder = new TempFolder("bad-many");
        folder.Write("many.yaml", "name: many\nd: 20\nN: [10, 1]\nc: -1\ndynamcis: gd\n");
        var result = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "validate", "many.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("many.yaml:3:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("many.yaml:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("many.yaml:5:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("3 problem(s)", result.Stderr, StringComparison.Ordinal);
    }
}
