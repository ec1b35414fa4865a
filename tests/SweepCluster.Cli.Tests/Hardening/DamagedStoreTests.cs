using System.Globalization;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Damage must not look like success (issue 12): a corrupt store file, or one that lost results, is never reported
/// complete or exported with exit code 0; every command that reads it says what is damaged and exits 3.
/// </summary>
public sealed class DamagedStoreTests : IClassFixture<FinishedStoreFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private readonly FinishedStoreFixture _finished;

    public DamagedStoreTests(FinishedStoreFixture finished)
    {
        _finished = finished;
    }

    [Fact]
    public void ACorruptStoreFileIsDamageForEveryReadingCommandAndForRun()
    {
        using var folder = new TempFolder("corrupt-store");
        string store = _finished.CopyTo(folder);
        ZeroRootPageOf(store, "results");
        byte[] damaged = File.ReadAllBytes(store);

        foreach (string[] args in new[] { new[] { "status" }, ["export", "--out", "out"], ["report", "--out", "out"], ["run", "grid.yaml"] })
        {
            var result = CliProcess.Run(Bound, folder.Path, [.. args, "--store", store]);
            CliAssert.OneError(result, 3, "is damaged", "Keep a copy");
            Assert.DoesNotContain("complete", result.Stdout, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(folder["out/cells.csv"]), "a damaged store was exported");
        Assert.False(File.Exists(folder["out/report.html"]), "a damaged store was reported");
        Assert.Equal(damaged, File.ReadAllBytes(store));
    }

    [Fact]
    public void ResultsLostFromAnIntactFileAreNotCalledComplete()
    {
        using var folder = new TempFolder("lost-results");
        string store = _finished.CopyTo(folder);
        FinishedStoreFixture.Execute(store, "DELETE FROM results WHERE cell_id IN (SELECT cell_id FROM results ORDER BY cell_id LIMIT 3)");

        foreach (string[] args in new[] { new[] { "status" }, ["export", "--out", "out"], ["coordinator", "--until-done"] })
        {
            var result = CliProcess.Run(Bound, folder.Path, [.. args, "--store", store]);
            CliAssert.OneError(result, 3, "3 cells of sweep tiny have no result", "is damaged");
        }

        Assert.False(File.Exists(folder["out/cells.csv"]), "a sweep with lost results was exported");
    }

    [Fact]
    public void AFileThatIsNotAStoreIsBadInputAndIsLeftAlone()
    {
        using var folder = new TempFolder("not-a-store");
        string notAStore = folder.Write("grid.yaml", FinishedStoreFixture.Grid);

        var result = InProcessCli.Run(Bound, "status", "--store", notAStore);

        CliAssert.OneError(result, 2, "is not a sweep store", "check --store");
        Assert.Equal(FinishedStoreFixture.Grid, File.ReadAllText(notAStore));
    }

    /// <summary>Overwrites the first page of a table's b-tree with zeros, as a bad sector or a torn write would.</summary>
    private static void ZeroRootPageOf(string store, string table)
    {
        var file = new StoreFile(store);
        long root = file.Scalar($"SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = '{table}'");
        long pageSize = file.Scalar("PRAGMA page_size");
        using var stream = new FileStream(store, FileMode.Open, FileAccess.Write);
        stream.Seek((root - 1) * pageSize, SeekOrigin.Begin);
        stream.Write(new byte[pageSize]);
        Assert.True(root > 1, string.Create(CultureInfo.InvariantCulture, $"root page {root}"));
    }
}
