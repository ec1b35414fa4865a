namespace SweepCluster.Model.Versioning;

/// <summary>
/// The version of the numerics. It is part of every cell id: change it whenever a change to the model
/// code can change a result, so that old results are not reused for new code.
/// </summary>
public static class ModelVersion
{
    public const string Current = "linear-diffusion/1";
}
