using System.Diagnostics;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The spread over 20 seeds (0–19) of the statistics lesson 11 (11-the-timescale) makes claims about, at the
/// lesson's quick-mode sizes (784 → 32 → 10, AdamW η₀ = 3·10⁻³, B = 50, 500 validation digits), the cheapest that
/// measure the same statistics; the default sizes were measured with the same code (numbers below). Both tests
/// together train ≈ 46,000 AdamW steps: 23.3 s + 12.2 s of CPU measured alone (the tests print it).
/// <para><b>Schedule coupling</b> (N = 1,000, 10 epochs = 200 updates, warm-up 5 % + cosine, λ = 2⁻³ and 2¹): the
/// largest ratio ‖θ‖ fixed / ‖θ‖ follows over the two λ was 0.969–0.970 in all 20 seeds (set by the extra shrinkage
/// Σ (η₀ − η_t)λ at the smallest λ, nearly seed-independent); the lesson claims &lt; 0.99. The validation-loss gap
/// (fixed − follows) at λ = 2 was 0.527–0.577; the lesson claims &gt; 0.1 in every seed. Default sizes (20 epochs =
/// 400 updates, 784 → 64 → 10, 1,000 validation digits, λ = 2⁻³ … 2¹), measured once for seeds 0–19 with the same
/// library calls (2026-12-01, session 8; 2 min 52 s of test time): largest ratio 0.9403–0.9419, gap at λ = 2
/// 0.818–0.884.</para>
/// <para><b>Edge of the good region against N</b> (N = 500 and 2,000, 5 epochs, log₂ λ ∈ {−2 … 3}, tolerance 0.1):
/// per-seed exponents −0.440 … −0.064 (mean −0.322, sd ≈ 0.08); the means of three consecutive seeds (what the
/// lesson claims on) −0.375 … −0.245, so the claim −3/4 &lt; mean &lt; 0 has ≥ 5 sd of the 3-seed mean (≈ 0.046) on
/// either side. At the default sizes (N = 500 … 4,000, 10 epochs, 784 → 64 → 10, 1,000 validation digits), measured
/// once over seeds 0–19 with this test's code and those sizes (2026-12-01, one intra-op thread, 172 s of CPU):
/// per-seed exponents −0.613 … −0.372 (mean −0.487), 3-seed means −0.560 … −0.381 (the claim's −3/4 is 0.19 below
/// the lowest; the tighter bounds asserted below, −0.6 and −0.15, hold there too). The argmin's exponent is reported,
/// not claimed: at the quick sizes the argmin sat at the grid's lower end for both N in all 20 seeds (exponent 0); at
/// the default sizes it ranged −0.41 … +0.09. Lesson 11 cites this test next to the claim.</para>
/// <para>Unlike the other spread tests this one always runs all 20 seeds (not <see cref="SpreadSeeds.Sample"/>): the
/// edge claim is about means of three consecutive seeds, and the whole test costs about half a minute of CPU.</para>
/// </summary>
public class TimescaleSpreadTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = Enumerable.Range(0, 20).ToArray();

    private static string F3(double v) => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void FixedDecayShrinksTheWeightsAndLosesAtLargeLambdaForEverySeed()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var settings = new TimescaleSettings(Epochs: 10, BatchSize: 50, LearningRate: 3e-3, Hidden: 32,
            Schedule: LearningRateSchedule.WarmupCosine(0.05));
        double[] log2Lambdas = [-3, 1];
        var c = ScheduleComparison.Run(settings, log2Lambdas, Seeds, Shared.Mnist, trainCount: 1000,
            validationCount: 500);
        var normRatios = Seeds.Select((_, s) => log2Lambdas.Select((_, k) =>
            c.Fixed[s][k].ParameterNorm / c.Follows[s][k].ParameterNorm).Max()).ToList();
        var lossGaps = Seeds.Select((_, s) =>
            c.Fixed[s][^1].ValidationLoss - c.Follows[s][^1].ValidationLoss).ToList();
        output.WriteLine($"largest ‖θ‖ ratio fixed/follows per seed: {string.Join(" ", normRatios.Select(F3))}");
        output.WriteLine($"val-loss gap at λ = 2: {string.Join(" ", lossGaps.Select(F3))}");
        output.WriteLine($"process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s");
        Assert.All(normRatios, r => Assert.True(r < 0.99, $"ratio {r}"));
        Assert.All(lossGaps, g => Assert.True(g > 0.1, $"gap {g}"));
    }

    [Fact]
    public void TheEdgeOfTheGoodRegionFallsWithNForEverySeed()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var settings = new TimescaleSettings(Epochs: 5, BatchSize: 50, LearningRate: 3e-3, Hidden: 32);
        var sweep = DataSizeSweep.Run(settings, [500, 2000], [-2, -1, 0, 1, 2, 3], Seeds, Shared.Mnist, 500);
        var slopes = sweep.EdgeSlopes;
        var triples = Enumerable.Range(0, Seeds.Length - 2).Select(i => slopes.Skip(i).Take(3).Average())
            .ToList();
        output.WriteLine($"edge slopes: {string.Join(" ", slopes.Select(F3))}");
        output.WriteLine($"mean {slopes.Average():F3}, min {slopes.Min():F3}, max {slopes.Max():F3}; 3-seed means " +
            $"{triples.Min():F3} … {triples.Max():F3}; argmin slopes " +
            string.Join(" ", sweep.ArgMinSlopes.Select(F3)));
        output.WriteLine($"censored: {Seeds.Count(s => sweep.EdgeCensored(s, 0) || sweep.EdgeCensored(s, 1))}; " +
            $"process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s");
        Assert.All(triples, v => Assert.True(v < 0 && v > -0.75, $"3-seed mean {v}"));
        Assert.True(triples.Max() < -0.15 && triples.Min() > -0.6,
            $"3-seed means {triples.Min()} … {triples.Max()}: the margins stated above no longer hold");
    }
}
