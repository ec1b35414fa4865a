namespace SweepCluster.Sweeps.Reports;

/// <summary>One point of a panel: a grid point's metric as the panel shows it (a row of its CSV).</summary>
/// <param name="Facet">The facet value ("d = 100"), or empty.</param>
/// <param name="Series">The series label ("k = 1"), or empty when the panel has one series.</param>
/// <param name="X">The x value.</param>
/// <param name="Metric">The metric column name.</param>
/// <param name="N">Seeds in the mean.</param>
/// <param name="Mean">Mean over the seeds.</param>
/// <param name="Std">Sample standard deviation over the seeds.</param>
/// <param name="Theory">The replica prediction.</param>
/// <param name="Residual">Mean - theory.</param>
/// <param name="RelativeError">|residual| / |theory|.</param>
/// <param name="Reference">The panel's reference curve at this point (d/(4N)), when it has one.</param>
/// <param name="GridPoint">The grid point key, as in summary.csv.</param>
public sealed record PanelRow(
    string Facet,
    string Series,
    double X,
    string Metric,
    int N,
    double? Mean,
    double? Std,
    double? Theory,
    double? Residual,
    double? RelativeError,
    double? Reference,
    string GridPoint);
