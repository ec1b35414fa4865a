using System.Numerics;
using SweepCluster.Model.Numerics;

namespace SweepCluster.Model.Training;

/// <summary>
/// The training times of one pass laid out in vector lanes, one tau per lane (the last block padded with
/// copies of the last tau), and Q(tau) lane by lane. Lanes never mix, so a lane gets the bits of
/// <see cref="TrainedDenoiser.Decay(DecayBase)"/> whatever the vector width of the machine.
/// </summary>
public sealed class TauLanes
{
    private readonly Vector<double>[] _exponent;
    private readonly Vector<double>[] _negativeSign;
    private readonly Vector<double>[] _untrained;
    private readonly Vector<double>[] _converged;
    private readonly bool[] _anyDecay;

    public TauLanes(IReadOnlyList<TrainedDenoiser> denoisers)
    {
        ArgumentNullException.ThrowIfNull(denoisers);
        if (denoisers.Count == 0)
        {
            throw new ArgumentException("a pass needs at least one tau", nameof(denoisers));
        }

        int width = Vector<double>.Count;
        Count = denoisers.Count;
        Blocks = (Count + width - 1) / width;
        Denoisers = [.. Enumerable.Range(0, Stride).Select(k => denoisers[Math.Min(k, Count - 1)])];
        _exponent = new Vector<double>[Blocks];
        _negativeSign = new Vector<double>[Blocks];
        _untrained = new Vector<double>[Blocks];
        _converged = new Vector<double>[Blocks];
        _anyDecay = new bool[Blocks];
        Span<double> exponent = stackalloc double[width];
        Span<double> sign = stackalloc double[width];
        Span<double> untrained = stackalloc double[width];
        Span<double> converged = stackalloc double[width];
        for (int b = 0; b < Blocks; b++)
        {
            for (int i = 0; i < width; i++)
            {
                var denoiser = Denoisers[(b * width) + i];
                bool decays = !denoiser.IsConverged && denoiser.Tau != 0;

                // A lane whose Q is fixed (0 or 1) still runs the exp; a zero exponent keeps it in range.
                exponent[i] = decays ? denoiser.Tau : 0.0;
                sign[i] = denoiser.NegativeBaseSign;
                untrained[i] = BitConverter.Int64BitsToDouble(denoiser.Tau == 0 ? -1L : 0L);
                converged[i] = BitConverter.Int64BitsToDouble(denoiser.IsConverged ? -1L : 0L);
                _anyDecay[b] |= decays;
            }

            _exponent[b] = new Vector<double>(exponent);
            _negativeSign[b] = new Vector<double>(sign);
            _untrained[b] = new Vector<double>(untrained);
            _converged[b] = new Vector<double>(converged);
        }
    }

    /// <summary>The number of tau values (lanes in use).</summary>
    public int Count { get; }

    public int Blocks { get; }

    /// <summary>Lanes in all, padding included: the length of a per-tau row of accumulators.</summary>
    public int Stride => Blocks * Vector<double>.Count;

    /// <summary>The denoiser of every lane, padding included.</summary>
    public IReadOnlyList<TrainedDenoiser> Denoisers { get; }

    /// <summary>Q(tau) of the lanes of one block for a mode with this decay base.</summary>
    public Vector<double> Decay(DecayBase decayBase, int block)
    {
        if (!_anyDecay[block])
        {
            return Vector.ConditionalSelect(Vector.AsVectorInt64(_untrained[block]), Vector<double>.One, Vector<double>.Zero);
        }

        var q = PortableExp.Exp(_exponent[block] * new Vector<double>(decayBase.LogMagnitude));
        if (decayBase.Negative)
        {
            q = _negativeSign[block] * q;
        }

        q = Vector.ConditionalSelect(Vector.AsVectorInt64(_untrained[block]), Vector<double>.One, q);
        return Vector.ConditionalSelect(Vector.AsVectorInt64(_converged[block]), Vector<double>.Zero, q);
    }
}
