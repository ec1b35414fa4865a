using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Tests.Support;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Training;

public class DecayTests
{
    // eta_eff = 2 eta / d at d = 1000: bases 1 - eta_eff h from close to 1 down to negative (oscillating modes).
    private const double EtaEff = 2e-3;

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(10.0)]
    [InlineData(316.0)]
    [InlineData(1001.0)]
    [InlineData(100000.0)]
    public void GradientDescentDecayAgreesWithPowToItsLastBits(double tau)
    {
        // The exp(tau ln|b|) form replaced Math.Pow(b, tau): the relative error of ln|b| grows with tau ln|b|,
        // which stays below ~745 wherever Q is not zero, so ~1e-13 at most.
        var denoiser = new TrainedDenoiser(0.0, EtaEff, tau, Dynamics.GradientDescent);
        foreach (double h in (double[])[1e-6, 0.01, 0.5, 1.0, 7.3, 499.9, 500.0, 600.0, 750.0, 999.0])
        {
            double expected = Math.Pow(1.0 - (EtaEff * h), tau);
            double actual = denoiser.Decay(denoiser.DecayBase(h));
            if (expected == 0 || Math.Abs(expected) < 1e-300)
            {
                Assert.True(Math.Abs(actual) < 1e-290, $"h = {h}, tau = {tau}: {actual} for {expected}");
                continue;
            }

            Assert.Equal(Math.Sign(expected), Math.Sign(actual));
            Tolerance.AssertClose(expected, actual, 1e-12, $"h = {h}, tau = {tau}");
        }
    }

    [Fact]
    public void ZeroStepsLeaveTheInitialConditionEvenForAZeroBase()
    {
        var denoiser = new TrainedDenoiser(0.0, EtaEff, 0.0, Dynamics.GradientDescent);
        Assert.Equal(Math.Pow(0.0, 0.0), denoiser.Decay(denoiser.DecayBase(1.0 / EtaEff)));
        Assert.Equal(1.0, denoiser.Decay(denoiser.DecayBase(3.0)));
    }

    [Fact]
    public void AFractionalTauOfANegativeBaseIsNaNAsPowGivesIt()
    {
        var denoiser = new TrainedDenoiser(0.0, EtaEff, 2.5, Dynamics.GradientDescent);
        Assert.True(double.IsNaN(Math.Pow(-0.5, 2.5)));
        Assert.True(double.IsNaN(denoiser.Decay(denoiser.DecayBase(750.0))));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.37)]
    [InlineData(1e4)]
    public void GradientFlowAgreesWithExpToItsLastBit(double tau)
    {
        var denoiser = new TrainedDenoiser(0.0, EtaEff, tau, Dynamics.GradientFlow);
        foreach (double h in (double[])[1e-6, 0.5, 7.3, 999.0])
        {
            Tolerance.AssertClose(Math.Exp(-(EtaEff * h) * tau), denoiser.Decay(denoiser.DecayBase(h)), 3e-16, $"h = {h}, tau = {tau}");
        }
    }

    [Fact]
    public void TheConvergedModelHasNoDecay()
    {
        var denoiser = new TrainedDenoiser(0.0, EtaEff, double.PositiveInfinity, Dynamics.GradientDescent);
        Assert.Equal(0.0, denoiser.Decay(denoiser.DecayBase(1.0)));
    }
}
