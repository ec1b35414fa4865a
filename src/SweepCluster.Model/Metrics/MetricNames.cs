namespace SweepCluster.Model.Metrics;

/// <summary>The metric names of reference-public.json, used verbatim in every output.</summary>
public static class MetricNames
{
    public const string EpsTest = "eps_test";
    public const string EpsTrain = "eps_train";
    public const string DataTest = "data_test";
    public const string DataTrain = "data_train";
    public const string EpsOpt = "eps_opt";
    public const string DataOpt = "data_opt";
    public const string EpsExcess = "eps_excess";
    public const string DataExcess = "data_excess";
    public const string DklIdealFwd = "dkl_ideal_fwd";
    public const string DklIdealRev = "dkl_ideal_rev";
    public const string DklDdpmFwd = "dkl_ddpm_fwd";
    public const string DklDdpmRev = "dkl_ddpm_rev";

    /// <summary>Suffix of the uniform average over t = 0..T-1.</summary>
    public const string TimeAverageSuffix = "_tavg";

    /// <summary>Suffix of the values at the reported time steps.</summary>
    public const string PerStepSuffix = "_t";

    /// <summary>Losses reported both per step and t-averaged, in output order.</summary>
    public static readonly IReadOnlyList<string> Losses = [EpsTest, EpsTrain, DataTest, DataTrain, EpsOpt, DataOpt];

    /// <summary>Excess losses (test - population optimum), reported t-averaged only.</summary>
    public static readonly IReadOnlyList<string> Excess = [EpsExcess, DataExcess];

    public static readonly IReadOnlyList<string> KullbackLeibler = [DklIdealFwd, DklIdealRev, DklDdpmFwd, DklDdpmRev];

    public static string Averaged(string loss) => loss + TimeAverageSuffix;

    public static string PerStep(string loss) => loss + PerStepSuffix;
}
