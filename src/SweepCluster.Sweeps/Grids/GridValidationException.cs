namespace SweepCluster.Sweeps.Grids;

/// <summary>A grid file that cannot be run; <see cref="Errors"/> holds every problem found, in file order.</summary>
public sealed class GridValidationException : Exception
{
    public GridValidationException(IReadOnlyList<GridError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public GridValidationException()
        : this([])
    {
    }

    public GridValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public GridValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<GridError> Errors { get; }

    private static string Describe(IReadOnlyList<GridError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "the grid file is invalid",
            1 => errors[0].ToString(),
            _ => $"{errors.Count} problems in the grid file:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}",
        };
    }
}
