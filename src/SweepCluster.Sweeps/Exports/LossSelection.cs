namespace SweepCluster.Sweeps.Exports;

/// <summary>Which loss family an export keeps; KL divergences and other metrics are always kept.</summary>
public enum LossSelection
{
    /// <summary>Noise-prediction (eps_*) and data-prediction (data_*) losses.</summary>
    Both = 0,

    /// <summary>Only the noise-prediction losses: data_* columns are left out.</summary>
    Eps = 1,

    /// <summary>Only the data-prediction losses: eps_* columns are left out.</summary>
    Data = 2,
}
