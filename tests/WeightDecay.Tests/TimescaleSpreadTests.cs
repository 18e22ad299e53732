using System.Diagnostics;
using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The spread over seeds (0–19; since session 15 also 20–399, see below) of the statistics lesson 11 (11-the-timescale)
/// makes claims about, at the lesson's quick-mode sizes (784 → 32 → 10, AdamW η₀ = 3·10⁻³, B = 50, 500 validation
/// digits), the cheapest that measure the same statistics; the default sizes were measured with the same code (numbers
/// below). Both tests together train ≈ 54,000 AdamW steps: 18.4 s + 14.2 s of CPU on 2026-12-01 (the tests print it).
/// <para><b>Schedule coupling</b> (N = 1,000, 10 epochs = 200 updates, warm-up 5 % + cosine, λ = 2⁻³, 2⁻¹ and 2¹): the
/// largest ratio ‖θ‖ fixed / ‖θ‖ follows over the λ was 0.969–0.970 in all 20 seeds (set by the extra shrinkage Σ (η₀ −
/// η_t)λ at the smallest λ, nearly seed-independent); the lesson claims &lt; 0.99. The validation-loss gap (fixed −
/// follows) at λ = 2 was 0.527–0.577; the lesson claims &gt; 0.1 in every seed. The gap grows with λ: its smallest rise
/// per seed from a λ of the grid to one at least 4 times larger was 0.050–0.067 (asserted &gt; 0.02); the lesson claims
/// it is positive in every seed. Default sizes (20 epochs = 400 updates, 784 → 64 → 10, 1,000 validation digits, λ =
/// 2⁻³ … 2¹), measured once for seeds 0–39 with <c>ScheduleCoupling</c> (2026-12-01; 65–69 s of CPU per 20 seeds; the
/// rises computed from the gaps it prints): largest ratio 0.940–0.945, gap at λ = 2 0.807–0.887, smallest rise over a
/// factor ≥ 4 in λ 0.048–0.081. Between neighbouring λ (a factor 2) the rise at the grid's small end, where both gaps
/// are near zero and often negative, was only 0.001–0.015 per seed and 0.002–0.012 for means of three consecutive
/// seeds: that is why the claim compares λ at least 4 times apart.</para>
/// <para><b>Edge of the good region against N</b> (N = 500 and 2,000, 5 epochs, log₂ λ ∈ {−2 … 3}, tolerance 0.1):
/// per-seed exponents −0.440 … −0.064 (mean −0.322, sd ≈ 0.08); the means of three consecutive seeds (what the lesson
/// claims on) −0.375 … −0.245. At the default sizes (N = 500 … 4,000, 10 epochs, 784 → 64 → 10, 1,000 validation
/// digits), measured once over seeds 0–19 with this test's code and those sizes (2026-12-01, one intra-op thread, 172 s
/// of CPU): per-seed exponents −0.613 … −0.372 (mean −0.487), 3-seed means −0.560 … −0.381. The argmin's exponent is
/// reported, not claimed: at the quick sizes the argmin sat at the grid's lower end for both N in 399 of seeds 0–399
/// (exponent 0; 0.39 once); at the default sizes it ranged −0.48 … +0.26. Lesson 11 cites this test next to the
/// claim.</para>
/// <para><b>More seeds (session 15, 2026-12-01).</b> Quick sizes, seeds 20–199 and 200–399: the schedule claims held in
/// every seed (largest ratio 0.962–0.971, gap at λ = 2 0.493–0.597, smallest rise 0.038–0.071). The edge exponent's
/// spread is wider than seeds 0–19 showed: per seed −0.61 … +0.04 (one seed's edge rose with N; mean −0.29, sd 0.12),
/// 3-seed means −0.51 … −0.12 (sd 0.07), so the claim's upper bound 0 is about 4 sd of the 3-seed mean above its
/// average (the lowest 3-seed mean is far from −3/4). The tighter bounds the quick test asserts are −0.65 and −0.05
/// (they were −0.6 and −0.15, which 3-seed means of seeds 20–399 crossed: −0.146, −0.12). Default sizes, seeds 20–119
/// (the two skipped <c>DefaultSizes…</c> tests; 865 s of CPU for the edge): per-seed exponents −0.735 … −0.19 (mean
/// −0.479, sd 0.11), 3-seed means −0.646 … −0.312 (sd 0.061): the claim's lower bound −3/4 is 0.10 below the lowest and
/// about 4.4 sd of the 3-seed mean below their average. The schedule claims at the default sizes, seeds 20–119: largest
/// ratio 0.938–0.945, gap at λ = 2 0.804–0.898, smallest rise 0.047–0.082 (419 s of CPU).</para>
/// <para><b>Default sizes, seeds 120–159 (session 16, 2026-12-02)</b>: the edge exponent per seed −0.666 … −0.280 (mean
/// −0.493, sd 0.094), 3-seed means −0.625 … −0.377; the schedule claims: largest ratio 0.937–0.947, gap at λ = 2
/// 0.799–0.903, smallest rise over a factor ≥ 4 in λ 0.046–0.077. Every claim held.</para>
/// <para><b>Censoring and the edge's definition (2026-12-02).</b> A top-censored edge (the curve never leaves the good
/// region on the grid) would bias the exponent towards 0, the claim's side; the edge is relative (within 1.1 × each
/// curve's best), and a larger N has a lower best loss, so the same 10 % is a smaller absolute margin there, which by
/// itself lowers the edge at a larger N. The test now counts censored edges over every (seed, N) and asserts none (the
/// lesson's claim requires none), and prints, not asserts, the exponent at tolerances 0.05 and 0.2 and with <see
/// cref="DataSizeSweep.AbsoluteMarginEdge"/> (the smallest N's 10 % as an absolute margin at every N). Quick sizes,
/// seeds 0–399 (862 s of CPU on a loaded machine): censored 0 of 800; at 0.1 per seed −0.610 … +0.038 (mean −0.293, sd
/// 0.117), 3-seed means −0.510 … −0.120 (as before); at 0.05 mean −0.224, 3-seed means −0.384 … −0.045; at 0.2 mean
/// −0.381, 3-seed means −0.566 … −0.216; absolute margin mean −0.068 (per seed −0.279 … +0.184), 3-seed means −0.181 …
/// +0.048 — at the quick sizes the edge's fall with N is mostly the relative margin's. Default sizes, seeds 0–159 in
/// one run (2,134 s of CPU, loaded): censored 0 of 640; at 0.1 per seed −0.737 … −0.190 (mean −0.484, sd 0.102), 3-seed
/// means −0.646 … −0.315; at 0.05 mean −0.436, 3-seed means −0.638 … −0.238; at 0.2 mean −0.486, 3-seed means −0.634 …
/// −0.340; absolute margin mean −0.333 (per seed −0.568 … −0.067), 3-seed means −0.469 … −0.185. No tolerance or margin
/// was censored anywhere.</para>
/// <para>Unlike the other spread tests this one runs all 20 seeds by default (not <see cref="SpreadSeeds.Sample"/>):
/// the edge claim is about means of three consecutive seeds, and the whole test costs about half a minute of CPU.
/// Another list of seeds given in <c>WD_SPREAD_SEEDS</c> (e.g. <c>20-199</c>) runs instead (before session 15 the
/// variable was ignored here, so this test's seeds were 0–19 whatever it said).</para>
/// </summary>
public class TimescaleSpreadTests(ITestOutputHelper output)
{
    /// <summary>Seeds 0–19, or the list given in <c>WD_SPREAD_SEEDS</c> (<c>all</c> is 0–19 as well).</summary>
    private static readonly IReadOnlyList<int> Seeds =
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SpreadSeeds.Variable))
            ? SpreadSeeds.Measured : SpreadSeeds.Seeds;

    private static string F3(double v) => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void FixedDecayShrinksTheWeightsAndLosesMoreTheLargerLambdaForEverySeed() =>
        ScheduleCoupling(epochs: 10, hidden: 32, validationCount: 500, log2Lambdas: [-3, -1, 1], Seeds);

    /// <summary>Both couplings on N = 1,000 digits for every seed and λ; prints and asserts the three statistics
    /// lesson 11 claims on. The default sizes were measured by calling it with epochs 20, hidden 64, 1,000
    /// validation digits, log₂ λ ∈ {−3 … 1} and seeds 0–39.</summary>
    private void ScheduleCoupling(int epochs, int hidden, int validationCount, double[] log2Lambdas,
        IReadOnlyList<int> seeds)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var settings = new TimescaleSettings(Epochs: epochs, BatchSize: 50, LearningRate: 3e-3, Hidden: hidden,
            Schedule: LearningRateSchedule.WarmupCosine(0.05));
        var c = ScheduleComparison.Run(settings, log2Lambdas, seeds, Shared.Mnist, trainCount: 1000,
            validationCount: validationCount);
        var normRatios = seeds.Select((_, s) => log2Lambdas.Select((_, k) =>
            c.Fixed[s][k].ParameterNorm / c.Follows[s][k].ParameterNorm).Max()).ToList();
        var gaps = seeds.Select((_, s) => log2Lambdas.Select((_, k) => c.ValidationGap(s, k)).ToArray()).ToList();
        var lossGaps = gaps.Select(g => g[^1]).ToList();
        // per seed: the smallest rise of the gap from a λ of the grid to any λ at least 4 times larger
        var rises = seeds.Select((_, s) => c.SmallestGapRise(s, 2)).ToList();
        output.WriteLine($"largest ‖θ‖ ratio fixed/follows per seed: {string.Join(" ", normRatios.Select(F3))}");
        output.WriteLine($"val-loss gap at the largest λ: {string.Join(" ", lossGaps.Select(F3))}");
        for (int k = 0; k < log2Lambdas.Length; k++)
            output.WriteLine($"gap at log2 λ = {log2Lambdas[k]}: {string.Join(" ", gaps.Select(g => F3(g[k])))}");
        output.WriteLine($"smallest rise of the gap over a factor ≥ 4 in λ, per seed: "
            + string.Join(" ", rises.Select(F3)));
        output.WriteLine($"process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s");
        Assert.All(rises, r => Assert.False(double.IsNaN(r), "the grid has no pair with λ′ ≥ 4λ"));
        Assert.All(normRatios, r => Assert.True(r < 0.99, $"ratio {r}"));
        Assert.All(lossGaps, g => Assert.True(g > 0.1, $"gap {g}"));
        Assert.All(rises, r => Assert.True(r > 0.02, $"rise {r}: the margin stated above no longer holds"));
    }

    [Fact]
    public void TheEdgeOfTheGoodRegionFallsWithNForEverySeed() =>
        EdgeAgainstN(epochs: 5, hidden: 32, validationCount: 500, sizes: [500, 2000], tripwire: (-0.65, -0.05));

    /// <summary>Both statistics of the schedule comparison at lesson 11's default sizes, for the seeds given
    /// (<c>WD_SPREAD_SEEDS</c>; 0–19 without it).</summary>
    [Fact(Skip = "default sizes: about a minute of CPU per 20 seeds over the quick test; run on demand")]
    public void DefaultSizesFixedDecayShrinksTheWeightsAndLosesMoreTheLargerLambda() =>
        ScheduleCoupling(epochs: 20, hidden: 64, validationCount: 1000, log2Lambdas: [-3, -2, -1, 0, 1], Seeds);

    /// <summary>The edge exponent at lesson 11's default sizes, for the seeds given (<c>WD_SPREAD_SEEDS</c>; 0–19
    /// without it); asserts the claim only.</summary>
    [Fact(Skip = "default sizes: about three minutes of CPU per 20 seeds; run on demand")]
    public void DefaultSizesTheEdgeOfTheGoodRegionFallsWithN() =>
        EdgeAgainstN(epochs: 10, hidden: 64, validationCount: 1000, sizes: [500, 1000, 2000, 4000],
            tripwire: (-0.75, 0));

    /// <summary>The data-size sweep (log₂ λ ∈ {−2 … 3}, tolerance 0.1) for every seed; prints the per-seed edge
    /// exponents and asserts the claim on means of three consecutive seeds, −3/4 &lt; mean &lt; 0, with no edge
    /// censored at the grid's top for any seed and N, and the tighter <paramref name="tripwire"/> bounds.</summary>
    private void EdgeAgainstN(int epochs, int hidden, int validationCount, int[] sizes,
        (double Low, double High) tripwire)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var settings = new TimescaleSettings(Epochs: epochs, BatchSize: 50, LearningRate: 3e-3, Hidden: hidden);
        var sweep = DataSizeSweep.Run(settings, sizes, [-2, -1, 0, 1, 2, 3], Seeds, Shared.Mnist, validationCount);
        var slopes = sweep.EdgeSlopes;
        var triples = Shared.WindowMeans(slopes, 3);
        var spread = MeanError.Of(slopes);
        double sd = spread.Error * Math.Sqrt(spread.Count);
        output.WriteLine($"edge slopes: {string.Join(" ", slopes.Select(F3))}");
        output.WriteLine($"mean {spread.Mean:F3}, s.d. {sd:F3}, min {slopes.Min():F3}, max {slopes.Max():F3}; " +
            $"3-seed means {triples.Min():F3} … {triples.Max():F3}; argmin slopes " +
            string.Join(" ", sweep.ArgMinSlopes.Select(F3)));
        int Censored(Func<int, int, bool> isCensored) =>
            Enumerable.Range(0, Seeds.Count).Sum(s => Enumerable.Range(0, sizes.Length).Count(n => isCensored(s, n)));
        void Describe(string label, IReadOnlyList<double> v, int count) => output.WriteLine(
            $"{label}: exponent mean {v.Average():F3}, min {v.Min():F3}, max {v.Max():F3}, 3-seed means " +
            $"{Shared.WindowMeans(v, 3).Min():F3} … {Shared.WindowMeans(v, 3).Max():F3}; censored {count}");
        // censored edges (at the grid's top) over every seed and N: the claim requires none
        int censored = Censored(sweep.EdgeCensored);
        output.WriteLine($"censored edges (seed, N): {censored} of {Seeds.Count * sizes.Length}");
        // not claimed: the exponent at other relative tolerances and with the smallest N's absolute margin
        foreach (double tolerance in new[] { 0.05, 0.2 })
        {
            var other = sweep with { EdgeTolerance = tolerance };
            Describe($"tolerance {tolerance}", other.EdgeSlopes, Censored(other.EdgeCensored));
        }
        Describe("absolute margin", sweep.AbsoluteMarginEdgeSlopes,
            Censored((s, n) => sweep.AbsoluteMarginEdge(s, n).Censored));
        output.WriteLine($"process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s");
        Assert.Equal(0, censored);
        Assert.All(triples, v => Assert.True(v < 0 && v > -0.75, $"3-seed mean {v}"));
        Assert.True(triples.Max() < tripwire.High && triples.Min() > tripwire.Low,
            $"3-seed means {triples.Min()} … {triples.Max()}: the margins stated above no longer hold");
    }
}
