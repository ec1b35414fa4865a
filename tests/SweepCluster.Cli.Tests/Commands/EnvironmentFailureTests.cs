using SweepCluster.Cli.Stores;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Commands;

/// <summary>
/// A broken environment through the real CLI: a one-line error that says what to do, exit code 1, no stack trace,
/// nothing lost.
/// </summary>
public sealed class EnvironmentFailureTests
{
    private const string Grid = "name: tiny\nd: 20\nN: [10, 20]\n";

    [Fact]
    public void ASecondRunOnTheSameStoreIsRefusedAndTheStoreStaysUsable()
    {
        using var folder = new TempFolder("two-runs");
        folder.Write("grid.yaml", Grid);
        string store = Path.Combine(folder.Path, "store.db");

        // Another process holds the lock, as a running `sweep run` does (the lock is the operating system's).
        using (var held = EmbeddedRunLock.TryTake(store))
        {
            Assert.NotNull(held);
            var refused = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", "grid.yaml", "--store", store);

            Assert.True(refused.ExitCode == 1, $"exit {refused.ExitCode}:\n{refused.Stderr}");
            string line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("another `sweep run` is running on", line, StringComparison.Ordinal);
            Assert.Contains("sweep status", line, StringComparison.Ordinal);
            Assert.False(File.Exists(store), "the refused run touched the store");
        }

        var run = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "grid.yaml", "--store", store);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode} once the lock was free:\n{run.Stderr}");
    }

    [Fact]
    public void AJournalANewerVersionWroteEndsTheRunWithTheReasonInsteadOfRetrying()
    {
        using var folder = new TempFolder("newer-journal");
        folder.Write("grid.yaml", Grid);
        folder.Write("other.yaml", "name: other\nd: 20\nN: [30]\n");
        string store = Path.Combine(folder.Path, "store.db");
        Assert.Equal(0, CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "grid.yaml", "--store", store).ExitCode);
        long results = new StoreFile(store).Scalar("SELECT count(*) FROM results");

        // What a newer version's coordinator would leave: an event this version has no type for.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE journal SET manifest = 'ev-from-a-newer-version' WHERE ordering = (SELECT max(ordering) FROM journal)";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var run = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", "other.yaml", "--store", store);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}:\n{run.Stderr}\n{run.Stdout}");
        string output = run.Stdout + run.Stderr;
        Assert.Contains("a newer SweepCluster wrote it", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(results, new StoreFile(store).Scalar("SELECT count(*) FROM results"));
    }

    [Fact]
    public void ALockLeftByAKilledRunDoesNotBlockTheNext()
    {
        using var folder = new TempFolder("stale-lock");
        folder.Write("grid.yaml", Grid);
        string store = Path.Combine(folder.Path, "store.db");
        EmbeddedRunLock.TryTake(store)!.Dispose();
        Assert.True(File.Exists(EmbeddedRunLock.PathFor(store)));

        var run = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "grid.yaml", "--store", store);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}:\n{run.Stderr}");
    }

    [Fact]
    public void AWorkerWhoseSeedNeverAnswersGivesUpWithAMessage()
    {
        using var folder = new TempFolder("no-seed");
        folder.Write("grid.yaml", Grid);
        string store = Path.Combine(folder.Path, "store.db");
        Assert.Equal(0, CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "submit", "grid.yaml", "--store", store).ExitCode);

        using var worker = CliProcess.Start(
            folder.Path,
            new Dictionary<string, string?> { ["Sweep__JoinTimeoutSeconds"] = "3" },
            "worker", "--store", store, "--seed", "akka.tcp://sweep@127.0.0.1:9");
        var result = worker.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");
        Assert.Contains("could not join a cluster", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at SweepCluster", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableDatabaseIsNamedWithoutItsPassword()
    {
        using var folder = new TempFolder("no-database");
        const string Password = "s3cret-Pw";

        // Port 9 (discard) refuses connections on loopback: the fastest "no server here".
        using var worker = CliProcess.Start(
            folder.Path,
            new Dictionary<string, string?> { ["SWEEP_STORE"] = $"postgres://sweep:{Password}@127.0.0.1:9/sweeps" },
            "worker");
        var result = worker.WaitForExit(TimeSpan.FromMinutes(3));

        string all = result.Stdout + result.Stderr;
        Assert.True(result.ExitCode is 1 or 2, $"exit {result.ExitCode}:\n{all}");
        Assert.Contains("127.0.0.1:9", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
    }
}
