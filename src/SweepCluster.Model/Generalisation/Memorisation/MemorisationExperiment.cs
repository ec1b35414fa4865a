using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>
/// Spec S-13, memorisation and generalisation scores: the entry point of the family. Draw r of the linear model and
/// of the empirical denoiser starts from the same u and uses the same z_t (NOISE_SEED); each is scored against the
/// training set of seed0 and paired with the same generator trained on seed0 + 1. Fresh population samples
/// (FRESH_SEED) are scored against the same training set.
/// </summary>
public static class MemorisationExperiment
{
    // The empirical denoiser's two products per step have as many rows as a chunk has draws; at 2^23 normals (64 MB)
    // a chunk holds 130 draws at d = 64, enough for the products to run near the BLAS peak.
    private const long NormalsPerChunk = 1 << 23;

    public static MemorisationResult Run(MemorisationConfig config, Spectrum spectrum, ILinearAlgebra algebra)
    {
        ExperimentArguments.Check(config, spectrum, algebra, () => config.Model.D);
        config.Validate();
        var model = config.Model;

        int d = model.D, draws = config.Draws;
        var schedule = model.CreateSchedule();
        var linear = SampledLinearModel.Train(model, spectrum, schedule, Sampler.Ddpm, config.TrainingSeed, algebra);
        var linearPair = SampledLinearModel.Train(model, spectrum, schedule, Sampler.Ddpm, config.PairSeed, algebra);
        var training = new TrainingPoints(linear.TrainingSet);
        var empirical = new EmpiricalDenoiserSampler(training, schedule, model.SamplerLastNoise);
        var empiricalPair = new EmpiricalDenoiserSampler(new TrainingPoints(linearPair.TrainingSet), schedule, model.SamplerLastNoise);

        var linearScores = new Scores(draws, d);
        var empiricalScores = new Scores(draws, d);
        var linearCos = new double[draws];
        var empiricalCos = new double[draws];
        DrawChunks.ForEach(config.NoiseSeed, draws, schedule.Steps + 1, d, (start, count, noise) =>
        {
            var x = new double[count * d];
            var y = new double[count * d];
            linear.Sample(noise, count, x, algebra);
            linearPair.Sample(noise, count, y, algebra);
            Pair(x, y, count, d, linearCos.AsSpan(start, count));
            linearScores.Add(start, count, x, training, algebra);

            // The two empirical denoisers are independent and each product runs on one BLAS thread (for the same bits
            // everywhere), so they run side by side; their results do not depend on it.
            Parallel.Invoke(
                () => empirical.Sample(noise, count, x, algebra),
                () => empiricalPair.Sample(noise, count, y, algebra));
            Pair(x, y, count, d, empiricalCos.AsSpan(start, count));
            empiricalScores.Add(start, count, x, training, algebra);
        }, NormalsPerChunk);

        var fresh = TrainingSet.Generate(spectrum, draws, config.FreshSeed);
        var populationScores = new Scores(draws, d);
        populationScores.Add(0, draws, fresh.Samples, training, algebra);

        return new MemorisationResult(
            config,
            linearScores.Result(PairCosineStatistics.From(linearCos)),
            empiricalScores.Result(PairCosineStatistics.From(empiricalCos)),
            populationScores.Result(null));
    }

    private static void Pair(double[] x, double[] y, int count, int d, Span<double> cosines)
    {
        for (int b = 0; b < count; b++)
        {
            cosines[b] = PairCosineStatistics.Cosine(x.AsSpan(b * d, d), y.AsSpan(b * d, d));
        }
    }

    /// <summary>The per-draw scores of one generator, filled chunk by chunk, and its first sample.</summary>
    private sealed class Scores(int draws, int d)
    {
        private readonly double[] _cmax = new double[draws];
        private readonly double[] _ratio = new double[draws];
        private readonly double[] _first = new double[d];
        private bool _ratioDefined = true;

        public void Add(int start, int count, double[] samples, TrainingPoints training, ILinearAlgebra algebra)
        {
            MemorisationScores.Score(samples.AsSpan(0, count * d), count, training, algebra, _cmax.AsSpan(start, count), _ratio.AsSpan(start, count));
            _ratioDefined = training.Count >= 2;
            if (start == 0)
            {
                samples.AsSpan(0, d).CopyTo(_first);
            }
        }

        public GeneratorResult Result(PairCosineStatistics? pair)
        {
            var score = GlScore.From(_cmax, _ratioDefined ? _ratio : []);
            var draw0 = new FirstDraw(_first, _cmax[0], _ratioDefined ? _ratio[0] : null);
            return new GeneratorResult(score, pair, draw0);
        }
    }
}
