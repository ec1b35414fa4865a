namespace SweepCluster.Model.Theory;

/// <summary>T1, S1, R1, T2, S2 of spec S-5.3 at one lambda, with the kappa they came from.</summary>
public readonly record struct ResolventValues(double Kappa, double T1, double S1, double R1, double T2, double S2);
