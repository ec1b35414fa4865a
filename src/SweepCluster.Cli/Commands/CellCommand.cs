using System.CommandLine;
using System.Diagnostics;
using Serilog;
using SweepCluster.Cli.Logging;
using SweepCluster.Cli.Options;
using SweepCluster.Cli.Output;
using SweepCluster.Cli.References;
using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Files;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep cell`: simulate one cell over its seeds and print it, with its theory, as one JSON object.</summary>
public static class CellCommand
{
    private static readonly Option<string> Backend = BackendOption.Create();

    private static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Log the backend and per-seed timings to standard error." };

    private static readonly Option<bool> Compact = new("--compact") { Description = "Print the JSON on one line." };

    private static readonly Option<string?> Reference = new("--reference")
    {
        Description = "Compute the configurations of a reference file in the format of generalisation-public.json (kinds repro, gl, bound, molrg; docs/generalisation.md) and print the same document with each configuration's values filled in. Takes no model options: each configuration carries its own.",
    };

    private static readonly Option<string?> Id = new("--id") { Description = "With --reference: compute only the configuration with this id." };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new ModelOptions();
        var family = new FamilyOptions();
        var command = new Command("cell", "Simulate one grid cell over its seeds and print the metrics and the replica theory as JSON on standard output (logs go to standard error).");
        model.AddTo(command);
        command.Add(Backend);
        command.Add(Verbose);
        command.Add(Compact);
        command.Add(Reference);
        command.Add(Id);
        family.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Reference) is { Implicit: false } && result.GetResult(family.Family) is { Implicit: false })
            {
                result.AddError("--family cannot be combined with --reference: each configuration of the file names its own kind");
            }

            // K-subspaces (molrg with K >= 2) reads d and seed0 of the model; any other model option would be ignored.
            if (family.IsSubspaces(result) && model.All.FirstOrDefault(o => o != model.D && o != model.Seed0 && result.GetResult(o) is { Implicit: false }) is { } ignored)
            {
                result.AddError($"{ignored.Name} has no effect on --family molrg with K >= 2: K-subspaces reads only --d and --seed0 of the model options");
            }

            bool reference = result.GetResult(Reference) is { Implicit: false };
            if (!reference && result.GetResult(Id) is { Implicit: false })
            {
                result.AddError("--id selects a configuration of --reference FILE; give --reference too");
            }

            if (reference && model.All.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } given)
            {
                result.AddError($"{given.Name} cannot be combined with --reference: each configuration of the file carries its own settings");
            }
        });
        command.SetAction(parse => parse.GetValue(Reference) is { } file
            ? ExecuteReference(file, parse.GetValue(Id), parse.GetValue(Backend)!, parse.GetValue(Verbose), parse.GetValue(Compact), output, error)
            : family.Bind(parse) is { } chosen
                ? FamilyCell.Execute(chosen.Family, chosen.Settings, model.Bind(parse), parse.GetValue(Backend)!, parse.GetValue(Verbose), parse.GetValue(Compact), output, error)
                : Execute(model.Bind(parse), parse.GetValue(Backend)!, parse.GetValue(Verbose), parse.GetValue(Compact), output, error));
        return command;
    }

    private static int ExecuteReference(string file, string? id, string backend, bool verbose, bool compact, TextWriter output, TextWriter error)
    {
        using var log = CliLogging.Create(error, verbose);
        try
        {
            RegularFile.EnsureRegular(file);
            var algebra = LinearAlgebraBackends.Create(backend);
            var watch = Stopwatch.StartNew();
            var document = ReferenceDocument.Compute(file, id, algebra, config => log.Information("Computing {ConfigId}", config));
            log.Debug("Reference configurations computed in {Elapsed:0.000} s on {Backend}", watch.Elapsed.TotalSeconds, algebra.Name);
            output.WriteLine(document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = !compact }));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ReferenceFormatException or SpectrumFormatException or CommandInputException)
        {
            error.WriteLine($"error: --reference {file}: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            error.WriteLine($"error: --backend: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e)
        {
            // A family's own check of its settings (it names the field).
            error.WriteLine($"error: --reference {file}: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: --reference {file}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    private static int Execute(ModelConfig config, string backend, bool verbose, bool compact, TextWriter output, TextWriter error)
    {
        using var log = CliLogging.Create(error, verbose);
        var errors = ModelConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            return ReportConfigErrors(errors, error);
        }

        try
        {
            var spectrum = SpectrumFactory.Create(config.Spectrum, config.D, SpectrumFiles.Read);
            var algebra = LinearAlgebraBackends.Create(backend);
            log.Debug("Linear algebra backend {Backend}", algebra.Name);
            var watch = Stopwatch.StartNew();
            var result = CellComputation.Run(config, spectrum, algebra);
            log.Debug("Cell d={D} N={N} with {Seeds} seeds computed in {Elapsed:0.000} s on {Backend}", config.D, config.N, config.Seeds, watch.Elapsed.TotalSeconds, algebra.Name);
            output.WriteLine(CellJson.Write(result, indented: !compact));
            return ExitCodes.Success;
        }
        catch (SpectrumFormatException e)
        {
            error.WriteLine($"error: --spectrum-file: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (InvalidConfigException e)
        {
            return ReportConfigErrors(e.Errors, error);
        }
        catch (ArgumentException e) when (e.ParamName == "name")
        {
            error.WriteLine($"error: --backend: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (InvalidOperationException e)
        {
            log.Error(e, "The computation failed");
            return ExitCodes.Failure;
        }
    }

    /// <summary>One line per bad setting, named as the option the user typed; exit code 2.</summary>
    private static int ReportConfigErrors(IReadOnlyList<ConfigError> errors, TextWriter error)
    {
        foreach (var e in errors)
        {
            error.WriteLine($"error: {ModelOptions.OptionFor(e.Field)}: {e.Message}");
        }

        return ExitCodes.BadInput;
    }
}
