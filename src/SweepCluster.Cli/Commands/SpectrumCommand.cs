using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Serilog;
using SweepCluster.Cli.Logging;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Datasets;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// `sweep spectrum --idx FILE`: the eigenvalues of an image dataset's pixel covariance (docs/model.md S-7.1), written
/// as an eigenvalue file that grids use as <c>spectrum: {file: ...}</c>. See docs/datasets.md.
/// </summary>
public static class SpectrumCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var idx = new Option<string>("--idx") { Description = "Image file in IDX format (unsigned-byte images x rows x columns, magic 0x00000803, as MNIST and Fashion-MNIST); gzip-compressed files are read as they are.", Required = true };
        var outFile = new Option<string>("--out") { Description = "Eigenvalue file to write (folders are created); it is replaced only once the computation has succeeded.", DefaultValueFactory = _ => "eigenvalues.txt" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N images (at least 2). Default: all." };
        var backend = new Option<string>("--backend")
        {
            Description = "Linear algebra: auto (OpenBLAS, then reference LAPACK, then managed), openblas, lapack-reference or managed.",
            DefaultValueFactory = _ => LinearAlgebraBackends.Auto,
        };
        backend.AcceptOnlyFromAmong([.. LinearAlgebraBackends.AllowedNames]);
        var command = new Command("spectrum", "Compute the eigenvalues of the pixel covariance of an IDX image dataset (pixels scaled to [0, 1], centred, 1/(n-1)) and write them in descending order as an eigenvalue file for grids (spectrum: {file: ...}) and sweep cell --spectrum-file. Logs go to standard error.")
        {
            idx, outFile, limit, backend,
        };
        command.SetAction(parse => Execute(parse.GetValue(idx)!, parse.GetValue(outFile)!, parse.GetValue(limit), parse.GetValue(backend)!, output, error));
        return command;
    }

    private static int Execute(string idxPath, string outPath, int? limit, string backendName, TextWriter output, TextWriter error)
    {
        using var log = CliLogging.Create(error, verbose: false);
        if (limit is < 2)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --limit: {limit} is too small; a covariance normalised by 1/(n-1) needs at least 2 images"));
            return ExitCodes.BadInput;
        }

        if (string.IsNullOrWhiteSpace(outPath))
        {
            error.WriteLine("error: --out: the output file name is empty");
            return ExitCodes.BadInput;
        }

        IdxImages images;
        string sha256;
        var watch = Stopwatch.StartNew();
        try
        {
            log.Information("Reading {File}", idxPath);
            images = IdxReader.ReadFile(idxPath, limit);
            sha256 = HashOf(idxPath);
        }
        catch (DatasetFileException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        log.Information("Read {Count} of {Declared} images of {Rows} x {Columns} pixels (d = {D}) in {Elapsed:0.00} s", images.Count, images.DeclaredCount, images.Rows, images.Columns, images.Dimension, watch.Elapsed.TotalSeconds);
        if (images.Count < 2)
        {
            error.WriteLine($"error: {idxPath}: the file holds {images.Count} image; a covariance normalised by 1/(n-1) needs at least 2");
            return ExitCodes.BadInput;
        }

        ILinearAlgebra algebra;
        try
        {
            algebra = LinearAlgebraBackends.Create(backendName);
        }
        catch (InvalidOperationException e)
        {
            // The environment lacks the library (not the user's input): the same code as a failed computation.
            error.WriteLine($"error: --backend: {e.Message}");
            return ExitCodes.Failure;
        }

        double[] eigenvalues;
        try
        {
            watch.Restart();
            double[] covariance = DatasetCovariance.Covariance(images, algebra);
            log.Information("Covariance {D} x {D} of {Count} images on {Backend} in {Elapsed:0.00} s", images.Dimension, images.Dimension, images.Count, algebra.Name, watch.Elapsed.TotalSeconds);
            watch.Restart();
            eigenvalues = DatasetCovariance.EigenvaluesOf(covariance, images.Dimension, algebra);
            log.Information("Eigendecomposition on {Backend} in {Elapsed:0.00} s", algebra.Name, watch.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is InvalidOperationException or ArithmeticException)
        {
            log.Error(e, "The computation failed");
            return ExitCodes.Failure;
        }

        string text = EigenvalueText.Format(Header(idxPath, sha256, images, algebra.Name, eigenvalues), eigenvalues);
        try
        {
            WriteReplacing(outPath, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: --out: {outPath}: the file cannot be written: {e.Message}");
            return ExitCodes.BadInput;
        }

        log.Information("Wrote {Count} eigenvalues to {File}", eigenvalues.Length, outPath);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outPath}: {eigenvalues.Length} eigenvalues of the covariance of {images.Count} images from {idxPath}"));
        return ExitCodes.Success;
    }

    /// <summary>Provenance, so the file alone says how to make it again; no date, so the output is deterministic.</summary>
    private static List<string> Header(string idxPath, string sha256, IdxImages images, string backend, double[] eigenvalues)
    {
        var c = CultureInfo.InvariantCulture;
        double trace = eigenvalues.Sum();
        double cutoff = eigenvalues[0] * EigenvalueFile.RelativeCutoff;
        int unusable = eigenvalues.Count(v => !(v > cutoff));
        string of = images.Count == images.DeclaredCount ? "all" : string.Create(c, $"the first {images.Count} of {images.DeclaredCount}");
        return
        [
            "Eigenvalues of the pixel covariance of an image dataset (docs/model.md S-7.1), descending, one per line.",
            $"Made by: sweep spectrum --idx {idxPath}{(images.Count == images.DeclaredCount ? string.Empty : string.Create(c, $" --limit {images.Count}"))}",
            $"source: {idxPath} (sha256 {sha256})",
            string.Create(c, $"images: {images.Count} ({of} images of the file), {images.Rows} x {images.Columns} pixels, d = {images.Dimension}"),
            "preprocessing: pixel / 255 (values in [0, 1]), images flattened row by row, mean image subtracted, covariance normalised by 1/(n-1)",
            $"linear algebra: {backend}",
            string.Create(c, $"Tr Sigma = {trace:R}, Tr Sigma / d = {trace / images.Dimension:R}; largest {eigenvalues[0]:R}, smallest {eigenvalues[^1]:R}"),
            string.Create(c, $"{images.Dimension - unusable} usable eigenvalues (above {EigenvalueFile.RelativeCutoff:g} of the largest); a grid can use d up to that"),
            "Use: spectrum: {file: <this file>} in a grid (normalised to Tr Sigma / d = 1 unless normalize: false), or sweep cell --spectrum-file <this file>.",
        ];
    }

    private static string HashOf(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFileException(path, $"the file cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Writes beside the target and renames, so an interrupted run never leaves half a file under the final name.</summary>
    private static void WriteReplacing(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
