using System.CommandLine;
using System.Diagnostics;
using Serilog;
using SweepCluster.Cli.Logging;
using SweepCluster.Cli.Options;
using SweepCluster.Cli.Output;
using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep cell`: simulate one cell over its seeds and print it, with its theory, as one JSON object.</summary>
public static class CellCommand
{
    private static readonly Option<string> Backend = BackendOption.Create();

    private static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Log the backend and per-seed timings to standard error." };

    private static readonly Option<bool> Compact = new("--compact") { Description = "Print the JSON on one line." };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new ModelOptions();
        var command = new Command("cell", "Simulate one grid cell over its seeds and print the metrics and the replica theory as JSON on standard output (logs go to standard error).");
        model.AddTo(command);
        command.Add(Backend);
        command.Add(Verbose);
        command.Add(Compact);
        command.SetAction(parse => Execute(model.Bind(parse), parse.GetValue(Backend)!, parse.GetValue(Verbose), parse.GetValue(Compact), output, error));
        return command;
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
