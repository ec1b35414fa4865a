using SweepCluster.Cluster.Settings;

namespace SweepCluster.Cli.Configuration;

/// <summary>
/// The "Sweep" section of the configuration (docs/configuration.md), bound from JSON and environment
/// variables, validated once, then turned into the typed settings the actors use.
/// </summary>
public sealed class SweepSettings
{
    /// <summary>Settings of the first version's SQL lease engine: accepted in old files and ignored, with a warning.</summary>
    public static readonly IReadOnlySet<string> Retired = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "LeaseDurationSeconds",
        "PollIntervalMilliseconds",
        "DeadAfterMissedHeartbeats",
    };

    /// <summary>
    /// The most compute slots one process takes (--workers, --slots, Slots). Each slot holds a unit's matrices and a
    /// thread; far more slots than cores only adds memory and contention, and a typo (100000) would exhaust the machine.
    /// </summary>
    public const int MaxSlots = 1024;

    public double HeartbeatIntervalSeconds { get; set; } = 2;

    public int ClaimBatch { get; set; } = 8;

    public int ClaimAhead { get; set; } = 2;

    public double ClaimAheadSeconds { get; set; } = 0.5;

    public int Slots { get; set; }

    public int MaxAttempts { get; set; } = 3;

    public double RetryBackoffSeconds { get; set; } = 1;

    public double RetryBackoffCapSeconds { get; set; } = 60;

    public double ProgressIntervalSeconds { get; set; } = 3;

    public int HttpPort { get; set; }

    /// <summary>The address Akka remoting binds to.</summary>
    public string RemotingHost { get; set; } = "127.0.0.1";

    /// <summary>The remoting port; 0 takes a free one.</summary>
    public int RemotingPort { get; set; }

    /// <summary>The address other nodes reach this one at (a pod IP or DNS name); empty = RemotingHost.</summary>
    public string PublicHostname { get; set; } = string.Empty;

    /// <summary>Seed nodes (akka.tcp://sweep@host:port, comma-separated); empty = the coordinators published in the store.</summary>
    public string Seeds { get; set; } = string.Empty;

    public double JoinTimeoutSeconds { get; set; } = 60;

    public double UnitSilenceTimeoutSeconds { get; set; } = 15;

    public double DrainTimeoutSeconds { get; set; } = 60;

    public double StableAfterSeconds { get; set; } = 2;

    public double DownRemovalMarginSeconds { get; set; } = 1;

    public double AcceptableHeartbeatPauseSeconds { get; set; } = 3;

    public string LogLevel { get; set; } = "Information";

    public string LogFormat { get; set; } = "text";

    /// <summary>Slots to use: the setting, or one per core when it is 0.</summary>
    public int EffectiveSlots => Slots > 0 ? Slots : Environment.ProcessorCount;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string name, string allowed, object value)
        {
            if (!ok)
            {
                errors.Add($"Sweep:{name} must be {allowed}, got {value}");
            }
        }

        Check(HeartbeatIntervalSeconds > 0, nameof(HeartbeatIntervalSeconds), "> 0", HeartbeatIntervalSeconds);
        Check(ClaimBatch >= 1, nameof(ClaimBatch), ">= 1", ClaimBatch);
        Check(ClaimAhead >= 0, nameof(ClaimAhead), ">= 0 (0 = claim only for free slots)", ClaimAhead);
        Check(ClaimAheadSeconds >= 0, nameof(ClaimAheadSeconds), ">= 0 (0 = hold exactly ClaimAhead units)", ClaimAheadSeconds);
        Check(Slots is >= 0 and <= MaxSlots, nameof(Slots), $"0 (one per core) to {MaxSlots}", Slots);
        Check(MaxAttempts >= 1, nameof(MaxAttempts), ">= 1", MaxAttempts);
        Check(RetryBackoffSeconds > 0, nameof(RetryBackoffSeconds), "> 0", RetryBackoffSeconds);
        Check(RetryBackoffCapSeconds >= RetryBackoffSeconds, nameof(RetryBackoffCapSeconds), ">= RetryBackoffSeconds", RetryBackoffCapSeconds);
        Check(ProgressIntervalSeconds > 0, nameof(ProgressIntervalSeconds), "> 0", ProgressIntervalSeconds);
        Check(HttpPort is >= 0 and <= 65535, nameof(HttpPort), "0 (off) or 1-65535", HttpPort);
        Check(RemotingPort is >= 0 and <= 65535, nameof(RemotingPort), "0 (a free port) or 1-65535", RemotingPort);
        Check(!string.IsNullOrWhiteSpace(RemotingHost), nameof(RemotingHost), "a host name or address", RemotingHost);
        Check(JoinTimeoutSeconds > 0, nameof(JoinTimeoutSeconds), "> 0", JoinTimeoutSeconds);
        Check(UnitSilenceTimeoutSeconds >= 2 * HeartbeatIntervalSeconds, nameof(UnitSilenceTimeoutSeconds), $">= 2 x HeartbeatIntervalSeconds ({2 * HeartbeatIntervalSeconds})", UnitSilenceTimeoutSeconds);
        Check(DrainTimeoutSeconds > 0, nameof(DrainTimeoutSeconds), "> 0", DrainTimeoutSeconds);
        Check(StableAfterSeconds > 0, nameof(StableAfterSeconds), "> 0", StableAfterSeconds);
        Check(DownRemovalMarginSeconds >= 0, nameof(DownRemovalMarginSeconds), ">= 0", DownRemovalMarginSeconds);
        Check(AcceptableHeartbeatPauseSeconds >= 1, nameof(AcceptableHeartbeatPauseSeconds), ">= 1 (shorter downs busy nodes)", AcceptableHeartbeatPauseSeconds);
        Check(LogLevel is "Verbose" or "Debug" or "Information" or "Warning" or "Error", nameof(LogLevel), "one of Verbose, Debug, Information, Warning, Error", LogLevel);
        Check(LogFormat is "text" or "json", nameof(LogFormat), "text or json", LogFormat);
        return errors;
    }

    public ClusterSettings ToClusterSettings() => new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatIntervalSeconds),
        ClaimBatch = ClaimBatch,
        ClaimAhead = ClaimAhead,
        ClaimAheadTime = TimeSpan.FromSeconds(ClaimAheadSeconds),
        MaxAttempts = MaxAttempts,
        RetryBackoff = TimeSpan.FromSeconds(RetryBackoffSeconds),
        RetryBackoffCap = TimeSpan.FromSeconds(RetryBackoffCapSeconds),
        ProgressInterval = TimeSpan.FromSeconds(ProgressIntervalSeconds),
        UnitSilenceTimeout = TimeSpan.FromSeconds(UnitSilenceTimeoutSeconds),
        DrainTimeout = TimeSpan.FromSeconds(DrainTimeoutSeconds),
        StableAfter = TimeSpan.FromSeconds(StableAfterSeconds),
        DownRemovalMargin = TimeSpan.FromSeconds(DownRemovalMarginSeconds),
        AcceptableHeartbeatPause = TimeSpan.FromSeconds(AcceptableHeartbeatPauseSeconds),
    };
}
