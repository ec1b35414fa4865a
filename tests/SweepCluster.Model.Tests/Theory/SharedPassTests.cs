using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Theory;

/// <summary>Cells that share one pass over all their tau values get the bits each would get alone.</summary>
public class SharedPassTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    // Short and long training, an odd and an even tau (oscillating modes keep their sign), and unequal reported steps.
    private static readonly ModelConfig Base = new() { D = 60, N = 40, C = 1e-3, Spectrum = SpectrumSpec.PowerLaw(1.0), Eta = 2, InitStd = 0.5 };
    private static readonly ModelConfig[] Cells =
    [
        Base with { Tau = 1 },
        Base with { Tau = 7, ReportedSteps = [3, 999] },
        Base with { Tau = 100 },
        Base with { Tau = 2000 },
    ];

    [Fact]
    public void TheTheoryOfSeveralTausIsTheTheoryOfEachAlone()
    {
        var spectrum = Spectrum.PowerLaw(Base.D, 1.0);
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(Base).N, Base.SpectralGrid);
        var together = SpectralTheory.ComputeAll(Cells, spectrum, Base.CreateSchedule(), measure);
        for (int k = 0; k < Cells.Length; k++)
        {
            AssertSameBits(SpectralTheory.Compute(Cells[k], spectrum, Base.CreateSchedule(), measure), together[k]);
        }
    }

    [Fact]
    public void TheSimulationOfSeveralTausIsTheSimulationOfEachAlone() => AssertSimulationAloneIsTogether(Cells);

    [Fact]
    public void TheSimulationOfSeveralConvergedRidgesIsTheSimulationOfEachAlone() =>
        AssertSimulationAloneIsTogether([Base, Base with { C = 0.0 }, Base with { C = 0.1 }, Base with { C = 1e-4 }, Base with { C = 0.5 }]);

    [Fact]
    public void AUnitOfMixedCellsGetsEachCellsOwnTheory()
    {
        // Converged and finite tau, two ridges: CellTheory groups them into passes and returns them in order.
        ModelConfig[] mixed = [.. Cells, Base, Base with { C = 0.1, Tau = 50 }, Base with { C = 0.1 }, Base with { Tau = 3 }, Base with { C = 0.0 }];
        var spectrum = Spectrum.PowerLaw(Base.D, 1.0);
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(Base).N, Base.SpectralGrid);
        var together = CellTheory.ComputeAll(mixed, spectrum, measure);
        for (int k = 0; k < mixed.Length; k++)
        {
            AssertSameBits(CellTheory.Compute(mixed[k], spectrum, measure), together[k]);
        }
    }

    [Fact]
    public void TheConvergedTheoryTakesTheKlOfTheFullPass()
    {
        // The converged theory skips the per-step loss sums; its DDPM KL must keep the bits of the full S-6 pass.
        var spectrum = Spectrum.PowerLaw(Base.D, 1.0);
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(Base).N, Base.SpectralGrid);
        var full = SpectralTheory.Compute(Base, spectrum, Base.CreateSchedule(), measure);
        var theory = CellTheory.Compute(Base, spectrum, measure);
        Assert.Equal(full.Scalar(MetricNames.DklDdpmFwd), theory.Scalar(MetricNames.DklDdpmFwd));
        Assert.Equal(full.Scalar(MetricNames.DklDdpmRev), theory.Scalar(MetricNames.DklDdpmRev));
    }

    [Fact]
    public void CellsThatDifferInMoreThanTauCannotShareAPass()
    {
        var spectrum = Spectrum.PowerLaw(Base.D, 1.0);
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(Base).N, Base.SpectralGrid);
        Assert.Throws<ArgumentException>(() => SpectralTheory.ComputeAll([Cells[0], Cells[1] with { C = 0.1 }], spectrum, Base.CreateSchedule(), measure));
    }

    private static void AssertSimulationAloneIsTogether(ModelConfig[] cells)
    {
        var spectrum = Spectrum.PowerLaw(Base.D, 1.0);
        var basis = EmpiricalEigenbasis.Compute(TrainingSet.Generate(spectrum, Base.N, 3), spectrum, Base.BiasMode, Algebra);
        var together = TrainingSetMetrics.ComputeAll(cells, spectrum, Base.CreateSchedule(), basis);
        for (int k = 0; k < cells.Length; k++)
        {
            AssertSameBits(TrainingSetMetrics.Compute(cells[k], spectrum, Base.CreateSchedule(), basis), together[k]);
        }
    }

    private static void AssertSameBits(CellMetrics expected, CellMetrics actual)
    {
        Assert.Equal(expected.Scalars.Select(p => p.Key), actual.Scalars.Select(p => p.Key));
        foreach (var (name, value) in expected.Scalars)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(actual.Scalar(name)), $"{name}: {value:R} alone, {actual.Scalar(name):R} together");
        }

        foreach (var (name, values) in expected.Series)
        {
            Assert.Equal(values, actual.GetSeries(name));
        }
    }
}
