using System.Text.Json;

namespace SweepCluster.Cli.Output;

/// <summary>
/// `status --json`: one JSON object per sweep, written field by field so that the schema (README, "status --json")
/// changes only on purpose. Field names are snake_case; times are ISO 8601 UTC; unknown values are null.
/// </summary>
public static class StatusJson
{
    /// <summary>Raised when a field is added (old fields keep their meaning) or changed (then scripts must look).</summary>
    public const int SchemaVersion = 1;

    public static string Write(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var p = status.Progress;
            w.WriteStartObject();
            w.WriteNumber("schema", SchemaVersion);
            w.WriteString("sweep", status.Info.Id);
            w.WriteString("grid_hash", status.Info.GridHash);
            w.WriteString("store", status.Store);
            w.WriteString("state", status.State);
            w.WriteStartObject("cells");
            w.WriteNumber("done", p.CellsDone);
            w.WriteNumber("total", p.CellsTotal);
            w.WriteEndObject();
            w.WriteNumber("work_fraction", Math.Round(status.WorkFraction, 4));
            w.WriteStartObject("units");
            w.WriteNumber("done", p.UnitsDone);
            w.WriteNumber("failed", p.UnitsFailed);
            w.WriteNumber("pending", p.UnitsPending);
            w.WriteNumber("in_flight", p.UnitsLeased);
            w.WriteNumber("total", p.UnitsTotal);
            w.WriteEndObject();
            w.WriteNumber("cells_per_second", Math.Round(status.CellsPerSecond, 3));
            WriteNumberOrNull(w, "eta_seconds", status.EtaSeconds is { } eta ? Math.Round(eta, 1) : null);
            w.WriteString("started_at", Iso(status.Info.CreatedAt));
            WriteTime(w, "finished_at", status.Info.FinishedAt);
            WriteTime(w, "cancelled_at", status.Info.CancelledAt);
            w.WriteNumber("duration_seconds", Math.Round(status.DurationSeconds, 1));
            w.WriteNumber("nondeterministic_cells", status.NonDeterministicCells);
            w.WriteStartArray("failed_units");
            foreach (var u in status.FailedUnits)
            {
                w.WriteStartObject();
                w.WriteString("unit", u.UnitId);
                w.WriteNumber("attempts", u.Attempts);
                w.WriteString("error", u.LastError);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("members");
            foreach (var m in status.Members)
            {
                w.WriteStartObject();
                w.WriteString("address", m.Report.Address);
                w.WriteString("node", m.Report.NodeId);
                w.WriteStartArray("roles");
                foreach (string role in m.Report.Roles)
                {
                    w.WriteStringValue(role);
                }

                w.WriteEndArray();
                w.WriteString("state", MemberTable.StateOf(m, status.Members));
                w.WriteNumber("slots", m.Report.Slots);
                w.WriteNumber("units_done", m.Report.UnitsDone);
                w.WriteNumber("cells_done", m.Report.CellsDone);
                w.WriteNumber("seconds_since_report", Math.Round(m.SecondsSinceRefresh, 1));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Seconds since the epoch (database clock) as ISO 8601 UTC.</summary>
    public static string Iso(double epochSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(epochSeconds * 1000)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter w, string name, double? epochSeconds)
    {
        if (epochSeconds is { } t)
        {
            w.WriteString(name, Iso(t));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
