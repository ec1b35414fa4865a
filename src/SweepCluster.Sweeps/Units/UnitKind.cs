namespace SweepCluster.Sweeps.Units;

/// <summary>Simulation units share one training set; theory units share one order-parameter computation.</summary>
public enum UnitKind
{
    Simulation = 1,
    Theory = 2,
}
