using System.Globalization;

namespace SweepCluster.Bench.Cluster;

/// <summary>CPU time of this process and of the PostgreSQL server's processes, from /proc (Linux).</summary>
public readonly record struct CpuSample(double Process, double Postgres)
{
    public static CpuSample Now() => new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, PostgresSeconds());

    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.Process - b.Process, a.Postgres - b.Postgres);

    /// <summary>
    /// User + system time of every process named postgres, plus the time of its children that have exited
    /// (backends of closed connections are children of the postmaster). Clock ticks of 1/100 s.
    /// </summary>
    private static double PostgresSeconds()
    {
        double ticks = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }

                // Fields after the command: state is field 3, so utime..cstime (14..17) are at 11..14 here.
                var fields = stat[(close + 2)..].Split(' ');
                for (int f = 11; f <= 14; f++)
                {
                    ticks += double.Parse(fields[f], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks / 100;
    }
}
