namespace SweepCluster.Cli;

/// <summary>Process exit codes, the same for every command (docs/troubleshooting.md lists what to do for each).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// The computation or the environment failed (not the user's input): the database cannot be reached, units failed
    /// for good, another run holds the store, exports could not be written after the computation.
    /// </summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown option, an impossible value, a malformed file, a store that does not exist. Nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// The store is damaged: its file is corrupt, or results it should hold are missing. Nothing was reported as complete;
    /// keep a copy of the store and see docs/troubleshooting.md.
    /// </summary>
    public const int StoreDamaged = 3;

    /// <summary>
    /// The sweep finished, but some cells were computed twice with different results (non-determinism): their exported
    /// rows are marked (column nondeterministic) and `sweep status` counts them.
    /// </summary>
    public const int NonDeterministic = 4;

    /// <summary>Stopped by SIGINT/SIGTERM, or by `sweep cancel` of its sweep, after draining; run the same command again to resume.</summary>
    public const int Interrupted = 130;
}
