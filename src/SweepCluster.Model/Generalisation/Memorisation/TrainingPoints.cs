using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>The raw training points y_i (N x d, row-major, not centred) with their squared norms, for the scores of spec S-13.</summary>
public sealed class TrainingPoints
{
    public TrainingPoints(TrainingSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        Points = set.Samples;
        Count = set.Count;
        Dimension = set.Dimension;
        SquaredNorms = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            double n2 = 0;
            foreach (double v in Points.AsSpan(i * Dimension, Dimension))
            {
                n2 += v * v;
            }

            SquaredNorms[i] = n2;
        }
    }

    /// <summary>y_i at i * d.</summary>
    public double[] Points { get; }

    /// <summary>N.</summary>
    public int Count { get; }

    public int Dimension { get; }

    /// <summary>||y_i||^2.</summary>
    public double[] SquaredNorms { get; }
}
