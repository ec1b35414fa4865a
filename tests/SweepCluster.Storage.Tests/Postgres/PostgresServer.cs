using System.Diagnostics;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>Controls the local test server through <c>scripts/postgres.sh</c>, for fault tests.</summary>
public static class PostgresServer
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Restarts the server (fast shutdown: sessions are cut, as in a failover) and waits until it accepts connections again.</summary>
    public static async Task RestartAsync()
    {
        string script = FindScript();
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "restart"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start bash {script} restart");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} restart exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    /// <summary>scripts/postgres.sh of the repository these tests were built from, found by walking up from the test binaries.</summary>
    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "scripts", "postgres.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"scripts/postgres.sh not found above {AppContext.BaseDirectory}");
    }
}
