using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind the three claims of exercise 4 of the solutions to lesson 02 ("Pixels that never light
/// up"), run through the library exactly as the notebook runs them: the first <c>batchSize</c> = 64 bundled MNIST
/// training digits in float64, <see cref="Mlp"/> (784 → 64 → 10, float64) seeded with the notebook's seed,
/// <c>DecayDynamics.Train</c> full-batch with Adam (η = <c>deadLr</c> = 1e-4, λ = 0.1) and
/// <see cref="GradientCheck.FlatParameters"/>, for <see cref="SpreadSeeds.Seeds"/>. The digits do not depend on the
/// seed, so the dead pixels are the same for every seed (the initial weights are not). The notebook cites this test
/// instead of typing the ranges. Measured over seeds 0–19 on 2026-11-30, quick mode (<c>trainSteps</c> = 10) and
/// default mode (30):
/// <list type="bullet">
/// <item>"Under AdamW the dead pixels' weights decay exactly as (1 − ηλ)ᵗ" (claimed: max relative error ≤ 1e-12):
/// at most 1.0e-15 (quick) and 2.4e-15 (default). The data gradient of these weights is exactly zero, so the bound
/// is rounding only: float64 products of t factors, 400× above the largest error measured and far below the decay
/// itself (1 − (1 − ηλ)ᵗ ≥ 1e-4).</item>
/// <item>"Under Adam + L2 they move towards zero by about η per step" (claimed: mean step / η in [0.8, 1.0], over the
/// weights not yet within 2ηt of zero, about 21,400–21,600 of the 22,784 dead weights in quick mode and 18,800–19,100
/// in default mode): 0.9968–0.9969 (quick) and 0.9830–0.9832 (default). The upper bound 1 is not a tolerance but
/// Adam's own bound: the gradient λW shrinks with |W|, the bias-corrected first moment weights recent (smaller)
/// gradients more than the second moment does, so m̂ ≤ √v̂ and the step is at most η. The lower bound 0.8 leaves a
/// margin of 0.18 below the smallest value measured; the spread over seeds (≤ 2e-4) is far smaller than that,
/// because every seed draws its weights from the same distribution and the dead pixels do not depend on it.</item>
/// <item>"Over 100 times faster than under AdamW" (ratio of the mean steps &gt; 100; asserted here, only displayed in
/// the notebook since session 18, with its prediction, because the two claims above already fix it): 525–534 (quick)
/// and 470–475 (default) — about 1/(λ·mean |W|), since AdamW moves a weight by ηλ|W| per step. Margin: a factor
/// 4.7.</item>
/// </list>
/// At the ends of the notebook's λ range (seeds 0–19, 2026-12-02, session 16): the AdamW error and Adam + L2's step / η
/// are the same as at λ = 0.1 (the step does not depend on λ: Adam divides it out); the ratio to AdamW scales as 1/λ,
/// 4,702–5,333 at λ = 0.01 and 157–178 at λ = 0.3 (margin 1.57× over the claimed 100; its spread over seeds is about
/// 1 %).
/// Cost: the 20 seeds of both modes take about 7 s of test time per λ.
/// Seeds 400–499 (2026-12-01, session 15; λ = 0.1, both modes): every claim held.
/// </summary>
public class GradientSolutionsSpreadTests(ITestOutputHelper output)
{
    // the notebook's parameters cell: batchSize, deadLr (trainSteps: quick 10, default 30; lambda 0.1, range 0.01–0.3)
    private const double DeadLr = 1e-4;
    private const int BatchSize = 64;

    /// <summary>The exercise's statistics for one seed.</summary>
    private sealed record DeadPixelStats(int Seed, int DeadPixels, int Away, double GeometricError, double L2Step,
        double AdamWStep)
    {
        public override string ToString() =>
            $"seed {Seed}: {DeadPixels} dark pixels, {Away} weights away from zero; AdamW max relative error " +
            $"{GeometricError:E2}; Adam + L2 step / η {L2Step / DeadLr:F4}; ratio to AdamW {L2Step / AdamWStep:F1}";
    }

    /// <summary>The notebook's setup cell and the exercise's two code cells, for one seed.</summary>
    private static DeadPixelStats Run(int seed, int trainSteps, double lambda)
    {
        using var scope = NewDisposeScope();
        var (x8, y) = Shared.Mnist.Train.Batch(Enumerable.Range(0, BatchSize).Select(i => (long)i).ToArray());
        var x = x8.to_type(ScalarType.Float64);
        var crossEntropy = new CrossEntropy();
        Mlp NewMlp() => new(seed: seed, dtype: ScalarType.Float64);

        var deadPixels = x.abs().sum(dim: 0).eq(Scalars.Zero).nonzero().reshape(-1).data<long>().ToArray();
        // fc1.weight [64, 784] comes first in the flattened parameters: W[i, j] is entry i·784 + j
        var dead = Enumerable.Range(0, 64).SelectMany(i => deadPixels.Select(j => i * 784 + (int)j)).ToArray();
        double[] initial;
        using (var m = NewMlp()) initial = GradientCheck.FlatParameters(m);
        double[] TrainAdam(DecayMethod method)
        {
            using var m = NewMlp();
            return DecayDynamics.Train(m, x, y, crossEntropy, new OptimizerOptions(OptimizerKind.Adam, DeadLr),
                new WeightDecayOptions(method, lambda), trainSteps);
        }
        var (adamW, adamL2) = (TrainAdam(DecayMethod.Decoupled), TrainAdam(DecayMethod.Coupled));
        var away = dead.Where(k => Math.Abs(initial[k]) > 2 * DeadLr * trainSteps).ToArray();
        double l2Step = away.Average(k => Math.Abs(initial[k]) - Math.Abs(adamL2[k])) / trainSteps;
        double adamWStep = away.Average(k => Math.Abs(initial[k]) - Math.Abs(adamW[k])) / trainSteps;
        double factor = Math.Pow(1 - DeadLr * lambda, trainSteps);
        double geometricError = dead.Max(k => Math.Abs(adamW[k] - factor * initial[k]) / Math.Abs(initial[k]));
        return new DeadPixelStats(seed, deadPixels.Length, away.Length, geometricError, l2Step, adamWStep);
    }

    /// <summary>The three claims with the notebook's tolerances, at every seed, in quick (10 steps) and default (30
    /// steps) mode, at the default λ and at both ends of the notebook's range.</summary>
    [Theory]
    [InlineData(10, 0.1)]
    [InlineData(30, 0.1)]
    [InlineData(10, 0.01)]
    [InlineData(30, 0.01)]
    [InlineData(10, 0.3)]
    [InlineData(30, 0.3)]
    public void DeadPixelWeightsUnderAdamWAndAdamWithL2(int trainSteps, double lambda)
    {
        var rows = new List<DeadPixelStats>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            var r = Run(seed, trainSteps, lambda);
            rows.Add(r);
            output.WriteLine(r.ToString());
            Assert.True(r.DeadPixels > 0 && r.Away > 0, $"no dead weights to measure: {r}");
            Assert.True(r.GeometricError <= 1e-12, $"AdamW not geometric: {r}");
            Assert.InRange(r.L2Step / DeadLr, 0.8, 1.0);
            Assert.True(r.L2Step > 100 * r.AdamWStep, $"Adam + L2 not 100× faster: {r}");
        }
        output.WriteLine($"{trainSteps} steps, λ = {lambda}: AdamW max relative error ≤ " +
            $"{rows.Max(r => r.GeometricError):E2}; " +
            $"Adam + L2 step / η {rows.Min(r => r.L2Step / DeadLr):F4} … {rows.Max(r => r.L2Step / DeadLr):F4}; " +
            $"ratio {rows.Min(r => r.L2Step / r.AdamWStep):F1} … {rows.Max(r => r.L2Step / r.AdamWStep):F1}; " +
            $"weights away from zero {rows.Min(r => r.Away)} … {rows.Max(r => r.Away)}");
    }
}
