using SweepCluster.Model.Configuration;

namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// One S-14 computation: the linear model of <see cref="Model"/> (d, N, spectrum, c, tau, eta, dynamics, schedule,
/// bias mode, seeds; init_std must be 0) and the step of the uniform ln-sigma quadrature grid.
/// </summary>
public sealed record BoundConfig(ModelConfig Model)
{
    /// <summary>The spec's step h of the uniform grid in u = ln sigma.</summary>
    public const double DefaultLogStep = 0.002;

    public double LogStep { get; init; } = DefaultLogStep;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting S-14 does not cover.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model);
        ModelConfigValidator.ThrowIfInvalid(Model);
        if (Model.InitStd != 0)
        {
            throw new ArgumentException($"init_std must be 0 for the S-14 bound (the only case specified), got {Model.InitStd}", nameof(Model));
        }

        if (!(LogStep > 0) || !(LogStep <= 0.1))
        {
            throw new ArgumentException($"the ln-sigma step must be in (0, 0.1], got {LogStep}", nameof(LogStep));
        }
    }
}
