using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Sweeps.Tests.Grids;

public sealed class GridErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private GridValidationException Fail(string text)
    {
        string path = _folder.Write("grid.yaml", text);
        return Assert.Throws<GridValidationException>(() => GridFile.Load(path));
    }

    /// <summary>Asserts that one of the errors is at this line, names this key and says this; returns it.</summary>
    internal static GridError Expect(GridValidationException e, int line, string key, string fragment)
    {
        var error = e.Errors.FirstOrDefault(x => x.Line == line && x.Key == key && x.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(error is not null, $"expected an error at line {line} for {key} containing \"{fragment}\"; got:\n{string.Join("\n", e.Errors)}");
        Assert.Contains($"grid.yaml:{line}:{error.Column}: {key}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(error.ToString(), e.Message, StringComparison.Ordinal);
        return error;
    }

    [Theory]
    [InlineData("d: 100\nN: [10, 20\nc: 1\n", 2, "N", "syntax error")]
    [InlineData("d: 100\nN: 50\nname: \"fig\nc: 1\n", 3, "name", "syntax error")]
    [InlineData("d: 100\nd: 200\nN: 5\n", 2, "d", "Duplicate key")]
    [InlineData("d: 100\nN: 50\ndynamcis: gd\n", 3, "dynamcis", "did you mean 'dynamics'?")]
    [InlineData("d: 100\nN: 50\nbeta-min: 1e-3\n", 3, "beta-min", "did you mean 'beta_min'?")]
    [InlineData("d: 100\nn: 50\n", 2, "n", "did you mean 'N'?")]
    [InlineData("d: abc\nN: 50\n", 1, "d", "'abc' is not a number")]
    [InlineData("d: 100\nN: 50\nc: []\n", 3, "c", "empty list")]
    [InlineData("d: 100\nN: 50\nc: {linspace: [0, 1, 0]}\n", 3, "c", "count is 0")]
    [InlineData("d: 100\nN: [10, 1]\n", 2, "N", "N must be an integer >= 2")]
    [InlineData("d: 100\nN: 50\nc:\n  - 0\n  - -1e-3\n", 5, "c", "c must be a finite number >= 0")]
    [InlineData("d: 0\nN: 50\n", 1, "d", "d must be an integer from 1 to 46340")]
    [InlineData("d: 100\nN: 50\nn_over_d: 0.5\n", 3, "n_over_d", "both given")]
    [InlineData("d: 100\nn_over_d: [0.5, 0.01]\n", 2, "n_over_d", "N = round(n_over_d * d) = 1, but N must be at least 2 (an empirical covariance needs two samples) (at d = 100")]
    [InlineData("d: 100\nN: [10, 20, 30]\nc: [0, 1]\nzip: [N, c]\n", 4, "zip", "N has 3 values, c has 2 values")]
    [InlineData("d: 100\nN: [10, 20]\nc: [0, 1]\nzip: [N, cc]\n", 4, "zip", "unknown axis 'cc' (did you mean 'c'?)")]
    [InlineData("d: 100\nN: [10, 20]\nzip: [N, c]\n", 3, "zip", "does not set")]
    [InlineData("d: 100\nN: 50\nT: 500\nt: [0, 100, 600]\n", 4, "t", "t = 600 is outside 0..T-1 = 0..499")]
    [InlineData("d: 100\nN: 50\nT: 1\n", 3, "T", "T must be an integer from 2 to 1000000")]
    [InlineData("d: 100\nN: 50\nT: 100000000\n", 3, "T", "is not allowed; T must be an integer from 2 to 1000000")]
    [InlineData("d: 100\nN: 50\ntau: 10\ndynamics: sgd\n", 4, "dynamics", "allowed: gd, gf")]
    [InlineData("d: 100\nN: 50\nbias_mode: centered\n", 3, "bias_mode", "allowed: mean, none")]
    [InlineData("d: 100\nN: 50\nloss: mse\n", 3, "loss", "allowed: eps, data, both")]
    [InlineData("d: 100\nN: 50\ntau: [10, -1]\n", 3, "tau", "or inf")]
    [InlineData("d: 100\nN: 50\ntau: 10\neta: 0\n", 4, "eta", "eta must be a finite number > 0")]
    [InlineData("d: 100\nN: 50\nk: 1\ntau: 100\neta: 50\n", 5, "eta", "makes gradient descent diverge")]
    [InlineData("d: 100\nN: 50\nbeta_min: 0.02\n", 3, "beta_max", "must lie in [beta_min, 1)")]
    [InlineData("d: 100\nN: 50\nseeds: [1, 2]\n", 3, "seeds", "{values: [...]}")]
    [InlineData("d: 100\nN: 50\nseeds: {value: [1, 2]}\n", 3, "seeds.value", "did you mean 'values'?")]
    [InlineData("d: 100\nN: 50\nseeds: {values: [1]}\nseed0: 3\n", 4, "seed0", "no effect")]
    [InlineData("d: 100\nN: 50\nc: {linspce: [0, 1, 3]}\n", 3, "c.linspce", "did you mean 'linspace'?")]
    [InlineData("d: 100\nN: 50\nk: 1\nspectrum: identity\n", 3, "k", "both given")]
    [InlineData("d: 100\nN: 50\nspectrum: {powerlaw: {k: 1}, normalise: false}\n", 3, "spectrum.normalise", "did you mean 'normalize'?")]
    [InlineData("d: 100\nN: 50\nspectrum: gaussian\n", 3, "spectrum", "identity, {powerlaw")]
    [InlineData("d: 100\nN: 50\ntheory: maybe\n", 3, "theory", "true or false")]
    [InlineData("d: 100\nN: 50\nk: [1, 500]\n", 3, "k", "too steep for d = 100")]
    [InlineData("d: 100\nN: 50\nname: ../elsewhere\n", 3, "name", "a sweep id is")]
    [InlineData("d: 100\nN: 50\nreport:\n  : 1[1, 2]\n", 4, "report", "syntax error")]
    [InlineData("d: {linspace: [1, 1000, 1000]}\nN: {linspace: [2, 2001, 2000]}\n", 1, "grid", "the grid has 22000000 cells (2000000 points x (10 seeds + 1 theory cell)); at most 2000000 cells")]
    [InlineData("d: {linspace: [1, 1000, 1000]}\nN: 50\nseeds: 1000000\n", 1, "grid", "the grid has 1000001000 cells (1000 points x (1000000 seeds + 1 theory cell))")]
    [InlineData("d: 10\nN: [50, 60]\nseeds: 1000000\ntheory: false\nc: [0, 1]\n", 1, "grid", "the grid has 4000000 cells (4 points x (1000000 seeds))")]
    [InlineData("N: 50\n", 1, "d", "missing")]
    [InlineData("d: 10\n", 1, "N", "missing")]
    [InlineData("", 1, "d", "empty")]
    [InlineData("- d: 1\n", 1, "yaml", "mapping of keys")]
    [InlineData("d: 100\nN: 50\n---\nd: 1\n", 4, "yaml", "one YAML document")]
    public void AMalformedGridNamesTheLineAndTheKey(string text, int line, string key, string fragment)
    {
        Expect(Fail(text), line, key, fragment);
    }

    [Fact]
    public void TheCellCapCountsSeedsAndTheoryAndAdmitsAGridAtTheCap()
    {
        // 2 points x (999,999 seeds + 1 theory cell): exactly the cap.
        var grid = GridFile.Load(_folder.Write("cap.yaml", "d: 10\nN: [50, 60]\nseeds: 999999\n"));
        Assert.Equal(GridReader.MaxGridCells, GridExpander.CellCount(grid));

        // One seed more is two cells over.
        Expect(Fail("d: 10\nN: [50, 60]\nseeds: 1000000\n"), 1, "grid", "the grid has 2000002 cells (2 points x (1000000 seeds + 1 theory cell))");
    }

    [Fact]
    public void AMissingSpectrumFileIsNamed()
    {
        var e = Fail("d: 100\nN: 50\nspectrum:\n  file: spectra/missing.txt\n");
        var error = Expect(e, 4, "spectrum", "spectra/missing.txt");
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void AMalformedSpectrumFileIsNamedWithItsLine()
    {
        _folder.Write("bad.txt", "1.0\n0.5\nabc\n");
        var error = Expect(Fail("d: 3\nN: 50\nspectrum: [identity, {file: bad.txt}]\n"), 3, "spectrum", "bad.txt");
        Assert.Contains("line 3: the line is not a list of numbers", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASpectrumFileNeedsAtLeastDEigenvalues()
    {
        _folder.Write("short.txt", "3 2 1\n");
        Expect(Fail("d: [3, 5]\nN: 50\nspectrum: {file: short.txt}\n"), 3, "spectrum", "cannot serve d = 5");
    }

    [Fact]
    public void EveryProblemIsReportedInFileOrder()
    {
        var e = Fail("d: abc\nN: [1, 50]\nc: -1\nfoo: 1\ntau: 10\ndynamics: sgd\n");
        Assert.Equal([1, 2, 3, 4, 6], e.Errors.Select(x => x.Line));
        Assert.Equal(["d", "N", "c", "foo", "dynamics"], e.Errors.Select(x => x.Key));
        Assert.StartsWith("5 problems in the grid file:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnstableEtaIsReportedWithTheLargestStableEta()
    {
        // Power law k = 1 at d = 100: lambda_max = 100 / H_100 = 19.28, so eta must stay below about 100 / 19.28 = 5.19.
        var error = Expect(Fail("d: 100\nN: 50\nk: 1\ntau: 100\neta: [1, 6]\n"), 5, "eta", "eta = 6 ");
        Assert.Contains("eta < 5.18", error.Message, StringComparison.Ordinal);
        Assert.Contains("largest population eigenvalue 19.2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnstableDefaultEtaIsPointedAtThroughTau()
    {
        _folder.Write("raw.txt", "500 1 1\n");
        Expect(Fail("d: 3\nN: 50\nspectrum: {file: raw.txt, normalize: false}\ntau: 100\n"), 4, "eta", "eta = 1 makes gradient descent diverge");
    }

    [Fact]
    public void GradientFlowAndConvergedModelsHaveNoStabilityLimit()
    {
        GridFile.Load(_folder.Write("gf.yaml", "d: 100\nN: 50\nk: 1\ntau: 100\neta: 50\ndynamics: gf\n"));
        GridFile.Load(_folder.Write("inf.yaml", "d: 100\nN: 50\nk: 1\neta: 50\n"));
    }

    [Fact]
    public void AMissingGridFileIsAValidationError()
    {
        var e = Assert.Throws<GridValidationException>(() => GridFile.Load(Path.Combine(_folder.Root, "nope.yaml")));
        Assert.Contains("does not exist", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsPrintAsFileLineColumnKeyMessage()
    {
        Assert.Equal("g.yaml:3:4: c: bad", new GridError("g.yaml", 3, 4, "c", "bad").ToString());
    }
}
