using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Storage.Schema;

/// <summary>The one place where result statuses become stored text and back.</summary>
internal static class ResultStatusNames
{
    public const string Ok = "ok";
    public const string NumericalFailure = "numerical_failure";

    public static string ToName(ResultStatus status) => status switch
    {
        ResultStatus.Ok => Ok,
        ResultStatus.NumericalFailure => NumericalFailure,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown result status"),
    };

    public static ResultStatus Parse(string name) => name switch
    {
        Ok => ResultStatus.Ok,
        NumericalFailure => ResultStatus.NumericalFailure,
        _ => throw new FormatException($"unknown result status '{name}' (expected {Ok} or {NumericalFailure})"),
    };
}
