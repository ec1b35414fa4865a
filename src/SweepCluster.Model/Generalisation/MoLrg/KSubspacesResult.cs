namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>The best restart of K-subspaces: the learned bases Uhat_k, the labels and the objective J.</summary>
/// <param name="Bases">Uhat_k.</param>
/// <param name="Labels">The cluster of each sample (the learned component index, not matched to the truth).</param>
/// <param name="Objective">J = (1/N) sum_i max_k ||Uhat_k^T x_i||^2.</param>
/// <param name="Restart">Which restart was kept.</param>
public sealed record KSubspacesResult(SubspaceBases Bases, int[] Labels, double Objective, int Restart);
