using System.CommandLine;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Cli.Options;

/// <summary>--format of the commands that export: the formats the exporters know, checked while parsing so a wrong name is a usage error.</summary>
public static class ExportFormatOption
{
    public static Option<string> Create()
    {
        string[] allowed = [.. SweepExporters.All.Select(e => e.Name)];
        var option = new Option<string>("--format")
        {
            Description = "Export format: csv (cells.csv, runs.csv, summary.csv), jsonl (one JSON object a line) or parquet (typed columns for pandas, polars, DuckDB).",
            DefaultValueFactory = _ => "csv",
        };
        option.Validators.Add(result =>
        {
            string? name = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (name is not null && !allowed.Contains(name, StringComparer.Ordinal))
            {
                result.AddError($"'{name}' is not an export format; allowed: {string.Join(", ", allowed)}");
            }
        });
        return option;
    }
}
