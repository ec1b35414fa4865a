using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Cli.Logging;
using SweepCluster.Cli.References;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep cell --family KIND`: one configuration of a generalisation family, its values printed as JSON.</summary>
internal static class FamilyCell
{
    public static int Execute(CellKind family, FamilySettings settings, ModelConfig model, string backend, bool verbose, bool compact, TextWriter output, TextWriter error)
    {
        using var log = CliLogging.Create(error, verbose);
        bool subspaces = FamilyKeys.IsSubspaces(family, settings);
        var config = FamilyKeys.CellModel(family, model, settings);

        // The same checks as a grid of this family; N = 1 is a training set for repro and gl (S-12.6, S-13.2).
        var problems = FamilyChecks.Problems(family, new GridPoint(config, settings))
            .Select(p => $"--{p.Key.Replace('_', '-')}: {p.Message}")
            .Concat(subspaces ? [] : ModelConfigValidator.Validate(config)
                .Where(p => !(p.Field == "N" && config.N == 1 && family is CellKind.Repro or CellKind.Gl))
                .Select(p => $"--{p.Field}: {p.Message}"))
            .ToList();
        if (problems.Count > 0)
        {
            foreach (string problem in problems)
            {
                error.WriteLine($"error: {problem}");
            }

            return ExitCodes.BadInput;
        }

        try
        {
            var algebra = LinearAlgebraBackends.Create(backend);
            var watch = Stopwatch.StartNew();
            var values = FamilyComputer.Compute(family, config, settings, (spec, d) => SpectrumFactory.Create(spec, d, SpectrumFiles.Read), algebra);
            log.Debug("{Family} computed in {Elapsed:0.000} s on {Backend}", CellKindNames.ToName(family), watch.Elapsed.TotalSeconds, algebra.Name);
            var document = new JsonObject
            {
                ["family"] = CellKindNames.ToName(family),
                ["values"] = ReferenceDocument.Nest(GeneralisationRunner.Flat(values)),
            };
            output.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = !compact }));
            return ExitCodes.Success;
        }
        catch (SpectrumFormatException e)
        {
            error.WriteLine($"error: --spectrum-file: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            error.WriteLine($"error: --backend: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e)
        {
            // A family's own check of a setting the options let through (it names the field).
            error.WriteLine($"error: --family {CellKindNames.ToName(family)}: {FamilyChecks.Message(e)}");
            return ExitCodes.BadInput;
        }
    }
}
