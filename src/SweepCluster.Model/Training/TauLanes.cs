using System.Numerics;
using System.Runtime.CompilerServices;
using SweepCluster.Model.Numerics;

namespace SweepCluster.Model.Training;

/// <summary>
/// The denoisers of one pass laid out in vector lanes, one per lane (the last block padded with copies of the
/// last), and their per-mode quantities lane by lane: the converged weights s/h and a sig/h and Q(tau). Lanes never
/// mix, so a lane gets the bits of the scalar operations (<see cref="TrainedDenoiser.Curvature"/>,
/// <see cref="TrainedDenoiser.Decay(DecayBase)"/>) whatever the vector width of the machine. Lanes differ in tau or, when all are converged, in the ridge c.
/// </summary>
public sealed class TauLanes
{
    private readonly Vector<double>[] _exponent;
    private readonly Vector<double>[] _negativeSign;
    private readonly Vector<double>[] _untrained;
    private readonly Vector<double>[] _converged;
    private readonly Vector<double>[] _ridge;
    private readonly bool[] _anyDecay;
    private readonly double _sharedRidge;

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
        AnyDecay = denoisers.Any(d => !d.IsConverged);

        // One decay base serves every lane of a (node, step) only if they share h, so only converged lanes may differ in c.
        if (AnyDecay && denoisers.Any(d => d.Ridge != denoisers[0].Ridge))
        {
            throw new ArgumentException("lanes of unconverged denoisers must share the ridge", nameof(denoisers));
        }

        SharedRidge = denoisers.All(d => d.Ridge == denoisers[0].Ridge);
        _sharedRidge = denoisers[0].Ridge;
        _ridge = new Vector<double>[Blocks];
        _exponent = new Vector<double>[Blocks];
        _negativeSign = new Vector<double>[Blocks];
        _untrained = new Vector<double>[Blocks];
        _converged = new Vector<double>[Blocks];
        _anyDecay = new bool[Blocks];
        Span<double> exponent = stackalloc double[width];
        Span<double> sign = stackalloc double[width];
        Span<double> untrained = stackalloc double[width];
        Span<double> converged = stackalloc double[width];
        Span<double> ridge = stackalloc double[width];
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
                ridge[i] = denoiser.Ridge;
                _anyDecay[b] |= decays;
            }

            _exponent[b] = new Vector<double>(exponent);
            _negativeSign[b] = new Vector<double>(sign);
            _untrained[b] = new Vector<double>(untrained);
            _converged[b] = new Vector<double>(converged);
            _ridge[b] = new Vector<double>(ridge);
        }
    }

    /// <summary>The number of tau values (lanes in use).</summary>
    public int Count { get; }

    public int Blocks { get; }

    /// <summary>Lanes in all, padding included: the length of a per-tau row of accumulators.</summary>
    public int Stride => Blocks * Vector<double>.Count;

    /// <summary>The denoiser of every lane, padding included.</summary>
    public IReadOnlyList<TrainedDenoiser> Denoisers { get; }

    /// <summary>Some lane has a finite training time, so the decay bases are needed (and all lanes share c).</summary>
    public bool AnyDecay { get; }

    /// <summary>All lanes have the same ridge c, so one h per (mode, step) serves every block.</summary>
    public bool SharedRidge { get; }

    /// <summary>
    /// <see cref="Scales"/> for every block at once when <see cref="SharedRidge"/>: the same operations done once
    /// in scalar and broadcast, so the bits are those of every lane.
    /// </summary>
    public void SharedScales(double sig, double a, double s, out Vector<double> eps, out Vector<double> data)
    {
        double h = (a * a * (sig + _sharedRidge)) + (s * s);
        eps = new Vector<double>(s / h);
        data = new Vector<double>(a * sig / h);
    }

    /// <summary>
    /// The converged weights of the lanes of one block for a mode with empirical variance sig at a step with scales
    /// a, s: eps = s/h and data = a sig/h with h = a^2 (sig + c) + s^2 as <see cref="TrainedDenoiser.Curvature"/>
    /// computes it.
    /// </summary>
    public void Scales(double sig, double a, double s, int block, out Vector<double> eps, out Vector<double> data)
    {
        var va = new Vector<double>(a);
        var vs = new Vector<double>(s);
        var vSig = new Vector<double>(sig);
        var h = (va * va * (vSig + _ridge[block])) + (vs * vs);
        eps = vs / h;
        data = va * vSig / h;
    }

    /// <summary>Q(tau) of the lanes of one block for a mode with this decay base.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
