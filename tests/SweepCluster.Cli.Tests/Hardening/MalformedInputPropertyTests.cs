using System.Diagnostics;
using CsCheck;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Random malformed input thrown at validate, run, submit and status (issue 12): broken grid files, store URLs and
/// option combinations. Whatever the mix, the command ends within a bound, with exit code 2, error lines and
/// nothing else (no stack trace, no output), never shows the URL's password, and writes nothing. CsCheck prints the
/// seed of a failing case; rerun it with CsCheck_Seed=SEED.
/// </summary>
public sealed class MalformedInputPropertyTests
{
    private const string Password = "Zq-pw-4412";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private const string ValidGrid = "name: g\nd: 20\nN: [10, 20]\nc: [0, 0.1]\nseeds: 2\n";

    /// <summary>Lines that each make any grid invalid, whatever else it holds.</summary>
    private static readonly string[] GridDefects =
    [
        "d: abc", "d: -4", "N: [10, 1]", "c: -1", "c: []", "c: {linspace: [0, 1, 0]}", "tau: -5", "seeds: 0",
        "dynamcis: gd", "spectrum: {file: missing.txt}", "spectrum: {file: /dev/zero}", "beta_max: 1", "T: 100\nt: [0, 100]",
        "zip: [d, N]\nd: [20, 40]\nN: [10, 20, 30]", "n_over_d: 2", "N: [10, 20", "name: [a", "\t- broken: yaml: here",
        "dynamics: adam\ntau: 10", "d: 1e400", "d: 99999",
    ];

    /// <summary>Store descriptions that are bad input: unsupported schemes and impossible PostgreSQL URLs.</summary>
    private static readonly Gen<string> BadUrl = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("postgress", "postgresql+psycopg", "mysql", "http", "sqlite", "pg", "file", "redis", "POSTGRESS"),
            Gen.OneOf("db.example", "127.0.0.1", "h"),
            (scheme, host) => $"{scheme}://sweep:{Password}@{host}/sweeps"),
        Gen.Select(
            Gen.OneOf("0", "65536", "99999", "abc", "-1", "5432x"),
            Gen.OneOf("postgres", "postgresql"),
            (port, scheme) => $"{scheme}://sweep:{Password}@127.0.0.1:{port}/sweeps"),
        Gen.Const($"postgres://sweep:{Password}@/sweeps"),
        Gen.Const($"sweep:{Password}@db://x"),
        Gen.OneOf(string.Empty, "   "));

    private enum Command
    {
        Validate,
        Run,
        Submit,
        Status,
    }

    /// <summary>One malformed invocation: the command, its grid text (null: a grid that is fine), and extra arguments.</summary>
    private sealed record Case(Command Command, string? Grid, string[] Extra, bool StoreConflict)
    {
        public override string ToString() =>
            $"{Command} grid:{(Grid is null ? "valid" : "\n" + Grid + "\n")} extra:[{string.Join(' ', Extra)}]{(StoreConflict ? " +store-file" : string.Empty)}";
    }

    private static readonly Gen<string> BadGrid = Gen.Select(
        Gen.Int[1, 3].SelectMany(n => Gen.OneOf(GridDefects).Array[n]),
        Gen.Bool,
        (defects, startValid) => (startValid ? ValidGrid : "name: g\n") + string.Join('\n', defects) + "\n");

    /// <summary>Options that are bad on their own (run, submit) or in combination.</summary>
    private static readonly Gen<string[]> BadRunOptions = Gen.OneOf(
        Gen.Int[-5, 0].Select(w => new[] { "--workers", w.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        Gen.Int[1025, 1_000_000].Select(w => new[] { "--workers", w.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        Gen.OneOf("foo", "OpenBLAS2", "", "cuda").Select(b => new[] { "--backend", b }),
        Gen.OneOf("xml", "CSV", "arrow").Select(f => new[] { "--format", f }),
        Gen.Const(new[] { "--config", "missing.json" }),
        Gen.Const(new[] { "--log-json", "a-file/run.jsonl" }),
        Gen.Const(new[] { "--out", "a-file/exports" }),
        Gen.Const(new[] { "--no-such-option" }));

    private static readonly Gen<Case> Cases = Gen.OneOf(
        // validate: a broken grid.
        BadGrid.Select(g => new Case(Command.Validate, g, [], false)),
        // run and submit: a broken grid, a bad URL, a bad option, or the store given twice.
        Gen.Select(Gen.OneOf(Command.Run, Command.Submit), BadGrid, (c, g) => new Case(c, g, [], false)),
        Gen.Select(Gen.OneOf(Command.Run, Command.Submit), BadUrl, (c, url) => new Case(c, null, ["--store", url], false)),
        BadRunOptions.Select(o => new Case(Command.Run, null, o, false)),
        Gen.OneOf(Command.Run, Command.Submit, Command.Status).Select(c => new Case(c, null, [], true)),
        // status: a bad URL, a store that does not exist, a grid file given as the store.
        BadUrl.Select(url => new Case(Command.Status, null, ["--store", url], false)),
        Gen.OneOf("missing.db", "no/such/folder/s.db", "grid.yaml").Select(s => new Case(Command.Status, null, ["--store", s], false)));

    [Fact]
    public void EveryMalformedInvocationEndsInTimeWithExitCode2AndOnlyErrorLines()
    {
        Cases.Sample(Check, iter: 120, threads: 1, print: c => c.ToString());
    }

    private static void Check(Case c)
    {
        using var folder = new TempFolder("malformed");
        string grid = folder.Write("grid.yaml", c.Grid ?? ValidGrid);
        string store = folder["store.db"];
        var args = new List<string>();
        switch (c.Command)
        {
            case Command.Validate:
                args.AddRange(["validate", grid]);
                break;
            case Command.Run or Command.Submit:
                args.AddRange([c.Command == Command.Run ? "run" : "submit", grid]);
                break;
            default:
                args.Add("status");
                break;
        }

        // Every path inside the test's folder, so that nothing lands beside the test binaries even if a case got through.
        folder.Write("a-file", "a file, so that no folder can be made inside it");
        args.AddRange(c.Extra.Select(a => a is "missing.db" or "no/such/folder/s.db" or "grid.yaml" or "missing.json" or "a-file/run.jsonl" or "a-file/exports" ? folder[a] : a));
        if (c.Command != Command.Validate && !args.Contains("--store"))
        {
            args.AddRange(["--store", store]);
        }

        if (c.StoreConflict)
        {
            args.AddRange(["--store-file", folder.Write("store-url", "postgres://sweep:" + Password + "@127.0.0.1:1/sweeps")]);
        }

        var before = folder.Files();
        var clock = Stopwatch.StartNew();
        var result = InProcessCli.Run(Bound, [.. args]);
        string all = result.Stdout + result.Stderr;

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode} after {clock.Elapsed}:\n{all}");
        Assert.True(result.Stdout.Length == 0, $"printed on standard output:\n{result.Stdout}");
        CliAssert.NoStackTrace(all);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
        var lines = CliAssert.Lines(result.Stderr);
        Assert.True(lines.Count > 0 && lines[0].StartsWith("error: ", StringComparison.Ordinal), $"no error line first:\n{result.Stderr}");
        Assert.All(lines, l => Assert.True(
            l.StartsWith("error: ", StringComparison.Ordinal) || l.StartsWith("Run 'sweep --help'", StringComparison.Ordinal) || l.Contains("problem(s); nothing was written", StringComparison.Ordinal),
            $"a line that is not an error message:\n{l}"));
        Assert.Equal(before, folder.Files());
    }
}
