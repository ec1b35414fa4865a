using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Files;

namespace SweepCluster.Cli.Commands;

/// <summary>Reads eigenvalue files for the model, turning file-system failures into messages that name the file.</summary>
public static class SpectrumFiles
{
    public static string Read(string path)
    {
        try
        {
            RegularFile.EnsureRegular(path);
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new SpectrumFormatException(path, null, "no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new SpectrumFormatException(path, null, "no such file (its folder does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new SpectrumFormatException(path, null, "the file cannot be read (permission denied)");
        }
        catch (IOException e)
        {
            throw new SpectrumFormatException(path, null, $"the file cannot be read: {e.Message}");
        }
    }
}
