using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Store URLs through the CLI (issue 12): a password that equals the user name still works and is cut out by its
/// position; a mistyped or unsupported scheme is bad input that echoes no password and creates nothing.
/// </summary>
public sealed class StoreUrlTests
{
    private const string Grid = "name: tiny\nd: 20\nN: 10\n";
    private const string Secret = "Pw-7f3a9c";

    [Theory]
    [InlineData("postgres", "postgres", "postgres")]
    [InlineData("sweep", "sweep", "sweep")]
    public void APasswordEqualToTheUserNameIsAcceptedAndOnlyItsPlaceIsRedacted(string user, string password, string database)
    {
        // Port 1 on loopback refuses at once: getting as far as connecting proves the URL was accepted.
        var result = CliProcess.Run(TimeSpan.FromMinutes(1), null, "status", "--store", $"postgres://{user}:{password}@127.0.0.1:1/{database}");

        CliAssert.OneError(result, 1, $"postgres://{user}:***@127.0.0.1:1/{database}", "check that the database server runs");
        Assert.DoesNotContain("must not contain the password", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgress://sweep:" + Secret + "@db.example/sweeps", "'postgress://'", "did you mean postgres://")]
    [InlineData("postgresql+psycopg://sweep:" + Secret + "@db.example/sweeps", "'postgresql+psycopg://'", "did you mean postgres://")]
    [InlineData("mysql://sweep:" + Secret + "@db.example/sweeps", "'mysql://'", "a SQLite file path or postgres://")]
    [InlineData("sqlite:///tmp/" + Secret + ".db", "'sqlite://'", "sqlite:PATH")]
    [InlineData("sweep:" + Secret + "@db.example://sweeps", "its scheme", "is not supported")]
    public void AnUnsupportedSchemeIsBadInputThatShowsNoPasswordAndCreatesNothing(string url, string named, string hint)
    {
        using var folder = new TempFolder("bad-scheme");
        folder.Write("grid.yaml", Grid);
        var before = folder.Files();

        foreach (string[] args in new[] { new[] { "submit", "grid.yaml", "--store", url }, ["run", "grid.yaml", "--store", url], ["status", "--store", url] })
        {
            var result = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, args);

            string line = CliAssert.OneError(result, 2, named, hint);
            Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
            Assert.StartsWith("error: --store:", line, StringComparison.Ordinal);
            Assert.Equal(before, folder.Files());
            Assert.Empty(Directory.GetDirectories(folder.Path));
        }
    }

    [Fact]
    public void TheSameSchemeFromAFileOrTheEnvironmentNamesWhereItCameFrom()
    {
        using var folder = new TempFolder("bad-scheme-source");
        string secretFile = folder.Write("store-url", $"postgress://sweep:{Secret}@db.example/sweeps\n");

        var fromFile = InProcessCli.Run(TimeSpan.FromSeconds(30), "status", "--store-file", secretFile);
        CliAssert.OneError(fromFile, 2, $"--store-file {secretFile}:", "'postgress://'");
        Assert.DoesNotContain(Secret, fromFile.Stderr, StringComparison.Ordinal);

        using var fromEnvironment = CliProcess.Start(folder.Path, new Dictionary<string, string?> { ["SWEEP_STORE"] = $"mysql://sweep:{Secret}@h/db" }, "status");
        var result = fromEnvironment.WaitForExit(TimeSpan.FromMinutes(1));
        CliAssert.OneError(result, 2, "SWEEP_STORE:", "'mysql://'");
        Assert.DoesNotContain(Secret, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreAndStoreFileTogetherAreAConflict()
    {
        using var folder = new TempFolder("store-conflict");
        string secretFile = folder.Write("store-url", $"postgres://sweep:{Secret}@127.0.0.1:1/sweeps");

        var result = InProcessCli.Run(TimeSpan.FromSeconds(30), "status", "--store", folder["a.db"], "--store-file", secretFile);

        CliAssert.OneError(result, 2, "--store and --store-file", "give only one");
        Assert.False(File.Exists(folder["a.db"]));
    }

    [Theory]
    [InlineData("postgres://sweep:" + Secret + "@127.0.0.1:70000/sweeps", "port '70000'")]
    [InlineData("postgres://sweep:" + Secret + "@127.0.0.1:abc/sweeps", "port 'abc'")]
    [InlineData("postgres://sweep:" + Secret + "@/sweeps", "names no host")]
    public void AnImpossiblePortOrHostIsAMessage(string url, string problem)
    {
        var result = InProcessCli.Run(TimeSpan.FromSeconds(30), "status", "--store", url);

        CliAssert.OneError(result, 2, problem, "postgres://sweep:***@");
        Assert.DoesNotContain(Secret, result.Stderr, StringComparison.Ordinal);
    }
}
