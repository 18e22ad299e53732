using System.Diagnostics;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind exercise 1 of the solutions to lesson 07 ("The paper's form, measured"), run exactly as the
/// notebook runs it: lesson 07's data split (600 training digits, every k-th; 1,000 validation digits from the rest),
/// <see cref="GridTrainingOptions"/> with 25 epochs, batch 50, hidden [32], a constant learning rate, SGD (momentum
/// 0.9) and Adam grids over η = 2⁻⁸ … 2⁻³ and 2⁻¹¹ … 2⁻⁶, decoupled decay in the paper's form
/// (<c>DecoupledScalesWithLearningRate: false</c>) over λ = 2⁻¹³ … 2⁻⁴ and 2⁻¹⁴ … 2⁻⁴ with lambdaCount + 2 rows, and
/// <see cref="GridResult.EdgeSlope"/> with edge tolerance 0.1, for <see cref="SpreadSeeds.Seeds"/>. The notebook cites
/// this test instead of typing the ranges. Claim: "in the paper's form the edges are diagonals λ ∝ η" — the edge slope
/// of both grids is nearer +1 than 0 (0 is the slope of an axis-aligned edge, as in the lesson's PyTorch form; the
/// paper's slope is exactly the PyTorch form's plus 1, since λ_paper = ηλ). Measured over seeds 0–19 on 2026-11-30
/// (one intra-op thread; every column of every grid had an edge):
/// <list type="bullet">
/// <item>Quick sizes (lrCount 3, lambdaCount 4 + 2): SGDW 0.668–1.023 (mean 0.879, s.d. 0.119), AdamW 0.850–1.057
/// (mean 1.005, s.d. 0.062). Extended on 2026-12-01 (session 10) to 81 seeds with <c>WD_SPREAD_SEEDS=20-79,17255</c>:
/// SGDW 0.662–1.031, AdamW 0.694–1.091; max |slope − 1| 0.338, so the claimed 0.5 keeps 1.48× room over the 81
/// seeds.</item>
/// <item>Default sizes (lrCount 6, lambdaCount 6 + 2): SGDW 0.663–1.040 (mean 0.872, s.d. 0.098), AdamW 0.836–1.090
/// (mean 1.017, s.d. 0.070). Seeds 20–39 (2026-12-01): SGDW 0.655–0.997, AdamW 0.853–1.117; means over 3
/// consecutive seeds 0.730–0.970 and 0.923–1.098. Seeds 40–119 (session 14): SGDW 0.687–1.055, AdamW
/// 0.722–1.113 (largest |slope − 1| of one seed 0.313); means over 3 consecutive seeds 0.787–0.975 and
/// 0.868–1.094. Seeds 120–179 (2026-12-02, session 16): SGDW 0.694–1.044 (mean 0.892), AdamW 0.729–1.120 (mean
/// 0.999); means over 3 consecutive seeds 0.791–0.976 and 0.902–1.072 (claimed within 0.5 of 1).</item>
/// <item>Seeds 100–199 (quick sizes, 2026-12-01): one seed's SGDW slope fell to 0.471 (seed 151; AdamW 0.720–1.064),
/// so a one-seed claim fails about once in a hundred seeds. The notebook now claims the mean over
/// <c>slopeSeeds</c> = 3 seeds (the charted one and the next two); over the 98 windows of 3 consecutive seeds in
/// 100–199 the mean SGDW slope is 0.709–1.010, AdamW's 0.877–1.056 (margin 0.21 at the smallest). The test asserts
/// every window of 3 seeds in its run. Seeds 200–279 confirmed it: one seed's AdamW slope fell to 0.472 (the old
/// one-seed claim would have failed again), while the means over 3 seeds stayed in 0.739–0.998 (SGDW) and
/// 0.726–1.049 (AdamW). Seeds 280–399 (session 14): one seed's slopes 0.674–1.053 (SGDW) and 0.690–1.076 (AdamW);
/// the means over 3 seeds 0.705–1.008 and 0.873–1.052 (margin 0.205 at the smallest).</item>
/// </list>
/// Tolerance: |mean slope − 1| &lt; 0.5, i.e. nearer +1 than 0. For one seed, 0.5 left 0.16 below the smallest slope
/// of seeds 0–79 (3.2 s.d. below the quick-mode mean, 3.8 in default mode), yet seed 151 fell below it: the one-seed
/// spread has a longer lower tail than its s.d. suggests. SGDW's slope sits systematically below 1 (its PyTorch-form
/// edge at a constant rate tilts slightly downwards); the claim does not depend on that.
/// </summary>
public class Lesson07SolutionsSpreadTests(ITestOutputHelper output)
{
    // the notebook's parameters cell: epochs, edgeTolerance (trainCount and validationCount: lesson 07's)
    private const int Epochs = 25;
    private const double EdgeTolerance = 0.1;

    /// <summary>The notebook's claimed tolerance: |mean slope − 1| below this for both grids.</summary>
    internal const double SlopeTolerance = 0.5;

    /// <summary>The notebook's <c>slopeSeeds</c>: the claim is about the mean slope over this many seeds.</summary>
    private const int SlopeSeeds = 3;

    /// <summary>The notebook's data cell, the same as lesson 07's.</summary>
    private static (TensorDataset Train, TensorDataset Validation) Split() =>
        Lesson07GridSpreadTests.TrainAndValidation();

    /// <summary>The notebook's grid cells and exercise 1, for one seed: the edge slopes of the SGDW and AdamW grids in
    /// the paper's form, and how many columns have an edge.</summary>
    private static (double[] Slopes, int[] Edges) Run(int seed, int lrCount, int lambdaCount, TensorDataset train,
        TensorDataset validation)
    {
        var gridOptions = new GridTrainingOptions(Epochs: Epochs, BatchSize: 50, Hidden: [32], Seed: seed);
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, 0.1, Momentum: 0.9);
        var adam = new OptimizerOptions(OptimizerKind.Adam, 1e-3);
        var sgdRates = HyperparameterGrid.PowersOfTwo(-8, -3, lrCount);
        var adamRates = HyperparameterGrid.PowersOfTwo(-11, -6, lrCount);
        GridResult Sweep(string label, OptimizerOptions o, WeightDecayOptions d, double[] rates, double log2From,
            double log2To, int rows) => HyperparameterGrid.Train(label, o, d, rates,
                HyperparameterGrid.PowersOfTwo(log2From, log2To, rows), train, validation, gridOptions);
        var paper = new WeightDecayOptions(DecayMethod.Decoupled, DecoupledScalesWithLearningRate: false);
        var grids = new[]
        {
            Sweep("SGDW (paper's λ)", sgd, paper, sgdRates, -13, -4, lambdaCount + 2),
            Sweep("AdamW (paper's λ)", adam, paper, adamRates, -14, -4, lambdaCount + 2),
        };
        return (grids.Select(g => g.EdgeSlope(EdgeTolerance)).ToArray(),
            grids.Select(g => g.EdgeLog2LambdaPerLearningRate(EdgeTolerance).Count(double.IsFinite)).ToArray());
    }

    private void AssertOverSeeds(int lrCount, int lambdaCount)
    {
        using var threads = TorchThreads.Limit(1);
        var (train, validation) = Split();
        using var _train = train;
        using var _validation = validation;
        var slopes = new List<double[]>();
        var clock = Stopwatch.StartNew();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var (s, edges) = Run(seed, lrCount, lambdaCount, train, validation);
            slopes.Add(s);
            output.WriteLine($"seed {seed}: edge slope SGDW {s[0]:+0.000;-0.000} ({edges[0]} of {lrCount} edges), " +
                $"AdamW {s[1]:+0.000;-0.000} ({edges[1]} of {lrCount}) [{clock.Elapsed.TotalSeconds:F0} s]");
        }
        for (int g = 0; g < 2; g++)
            output.WriteLine($"{(g == 0 ? "SGDW" : "AdamW")}: slope {slopes.Min(s => s[g]):F3} … " +
                $"{slopes.Max(s => s[g]):F3}, mean {slopes.Average(s => s[g]):F3}");
        output.WriteLine($"max |slope − 1|, one seed: {slopes.Max(s => s.Max(x => Math.Abs(x - 1))):F3}");
        // the notebook claims the mean over SlopeSeeds seeds: every window of that many seeds in the run's order
        // (consecutive seeds for a range; the sample 3, 11, 19 is one window) is one instance of the claim
        var perGrid = new[] { 0, 1 }.Select(g => Shared.WindowMeans(slopes.Select(s => s[g]).ToList(), SlopeSeeds))
            .ToArray();
        var windows = Enumerable.Range(0, perGrid[0].Count).Select(i => perGrid.Select(m => m[i]).ToArray()).ToList();
        Assert.True(windows.Count > 0, $"the claim is about the mean over {SlopeSeeds} seeds; {SpreadSeeds.Variable} "
            + $"gave {slopes.Count}");
        for (int g = 0; g < 2; g++)
            output.WriteLine($"{(g == 0 ? "SGDW" : "AdamW")}: mean over {SlopeSeeds} seeds "
                + $"{windows.Min(w => w[g]):F3} … {windows.Max(w => w[g]):F3}");
        Assert.All(windows, w => Assert.True(w.All(x => Math.Abs(x - 1) < SlopeTolerance),
            $"mean slopes {string.Join(", ", w.Select(x => x.ToString("F3")))}"));
    }

    /// <summary>Quick sizes (lrCount 3, lambdaCount 4), as CI runs the notebook: 36 cells of 300 steps per seed,
    /// about 6 s of CPU per seed; the five sampled seeds took 50 s of test time on the loaded 2-core machine (about
    /// 30 s of CPU), all 20 seeds 4 minutes (2 minutes of CPU).</summary>
    [Fact]
    public void PaperFormEdgesAreDiagonalsAtQuickSizes() => AssertOverSeeds(3, 4);

    /// <summary>Default sizes (lrCount 6, lambdaCount 6), what a reader runs: 96 cells per seed, about 13 s of CPU
    /// per seed (all 20 seeds: 4 minutes of CPU, 6.5 minutes of test time on the loaded machine), over the suite's
    /// budget, so skipped; remove the Skip (with <c>WD_SPREAD_SEEDS=all</c>) to measure.</summary>
    [Fact(Skip = "default sizes: over the test command's budget; run on demand")]
    public void PaperFormEdgesAreDiagonalsAtDefaultSizes() => AssertOverSeeds(6, 6);
}
