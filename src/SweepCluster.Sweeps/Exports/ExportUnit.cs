namespace SweepCluster.Sweeps.Exports;

/// <summary>Run metadata of one work unit, as exported to runs.csv / runs.jsonl.</summary>
/// <param name="UnitId">The unit id.</param>
/// <param name="Kind">"sim" or "theory".</param>
/// <param name="State">pending, leased, done or failed.</param>
/// <param name="Owner">The node holding or last holding its lease.</param>
/// <param name="Attempts">Claims so far.</param>
/// <param name="LastError">The error of the last failed attempt.</param>
/// <param name="StartedAt">When the last attempt started, seconds since the epoch (database clock).</param>
/// <param name="FinishedAt">When it finished, seconds since the epoch (database clock).</param>
/// <param name="Cost">Predicted cost in arbitrary units.</param>
/// <param name="Cells">Number of cells in the unit.</param>
public sealed record ExportUnit(
    string UnitId,
    string Kind,
    string State,
    string? Owner,
    int Attempts,
    string? LastError,
    double? StartedAt,
    double? FinishedAt,
    double Cost,
    int Cells);
