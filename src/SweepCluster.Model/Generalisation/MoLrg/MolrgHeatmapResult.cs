namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// The recovery heatmap: per (r, n_k) cell the fraction of trials with D &lt;= threshold and the mean D;
/// <see cref="Distances"/> keeps every trial's D ([row][column][trial]).
/// </summary>
public sealed record MolrgHeatmapResult(MolrgHeatmapConfig Config, double[][] Success, double[][] MeanDistance, double[][][] Distances)
{
    public const string SuccessKey = "success";
    public const string MeanDistanceKey = "mean_D";

    /// <summary>
    /// The values of generalisation-public.json's "values" block: "success" and "mean_D", each one row per r
    /// (flattened row-major here: element [row * columns + column]).
    /// </summary>
    public GeneralisationValues ToValues()
    {
        var values = new GeneralisationValues();
        values.Add(SuccessKey, [.. Success.SelectMany(row => row)]);
        values.Add(MeanDistanceKey, [.. MeanDistance.SelectMany(row => row)]);
        return values;
    }
}
