namespace SweepCluster.Cli;

/// <summary>Process exit codes, the same for every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The computation or the environment failed (not the user's input).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown option, an impossible value, a malformed file. Nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by SIGINT/SIGTERM after draining; run the same command again to resume.</summary>
    public const int Interrupted = 130;
}
