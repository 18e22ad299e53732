using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind the claims of notebook 12 (grokking), measured with <see cref="GrokkingTraining"/> at the
/// notebook's settings (p = 31, training fraction 0.6, width 128, α = 10, η = 0.01, β₂ = 0.98, full batch,
/// evaluation every 10 steps; budget ⌈6/(ηλ)⌉ + 100 steps, the λ = 1 budget of 700 steps without decay) for seeds 0–19.
/// The notebook's quick mode trains λ ∈ {1, 2} (3 seeds) and the no-decay run at these very budgets, so these are the
/// quick-mode sizes; default mode adds λ = 0.5 (5 seeds), whose spread was measured with the same code for seeds 0–19
/// outside the suite (1,500 steps; each network's trajectory does not depend on the budget or on which networks are
/// stacked with it). Measured 2026-11-30 (ranges over the 20 seeds; delays at the evaluation resolution of 10 steps):
/// <list type="bullet">
/// <item>λ = 0 (700 steps): training accuracy ≥ 99 % at step 50–60, final 100 % for every seed; the highest test
/// accuracy over the whole run is 0.73–1.53 × chance 1/p. The notebook claims final training accuracy ≥ 99 % and a
/// maximum test accuracy &lt; 3/p (margin ≈ 2×). ‖θ‖ end / start ∈ [1.045, 1.055] (claimed: it grows).</item>
/// <item>λ = 1 (τ = 100 steps, 700 steps): train 99 % at 60–70, test 99 % at 410–510, delay 340–440 = 3.4–4.4 τ;
/// ‖θ‖ at test 99 % / ‖θ‖₀ ∈ [0.526, 0.541]. The notebook claims every seed's delay in [2.5 τ, 6 τ] (margins 0.9 τ
/// below, 1.6 τ above) and the norm ratio &lt; 0.6.</item>
/// <item>λ = 2 (τ = 50, 400 steps): train 99 % at 130–190, test 99 % at 250–300, delay 80–130 = 1.6–2.6 τ (memorizing
/// is slowed by the decay, so the delay from the fitted training set is shorter than at λ ≤ 1: the notebook claims
/// the 2.5–6 τ range only for λ ≤ 1). Every λ = 2 delay is shorter than every λ = 1 delay (130 &lt; 340), so the
/// means over any seeds are ordered (claimed).</item>
/// <item>λ = 0.5 (τ = 200; outside the suite at first): train 99 % at 50–60, test 99 % at 750–1,040, delay 690–980 =
/// 3.45–4.9 τ over seeds 0–19. On 2026-12-01, over seeds 0–19 and 100–299, seed 146 reached 99 % only at step 1,320
/// (delay 6.3 τ), after the notebook's budget of 6 τ + 100 = 1,300 steps: with it in the window, the notebook's
/// mean delay was NaN and both section-3 claims failed. The notebook now trains the grid's other λ for 10 τ + 100
/// steps (2,100 here); then every seed of the 220 reaches 99 %, delay 3.0–6.3 τ, the mean over every 3 consecutive
/// seeds 3.53–4.92 τ (5: 3.61–4.74), and every seed's delay exceeds its own λ = 1 delay by ≥ 290 steps.
/// <see cref="AtHalfTheDecayTheDelayIsAFewTimescalesAndLongerForEverySeed"/> asserts this in the suite.</item>
/// <item>Solutions, exercise 1 (training fraction 0.5, λ = 1, budget 10 τ + 100 = 1,100 steps): train 99 % at
/// 50–60, test 99 % at 550–720, delay 500–670 — every one longer than every fraction-0.6 delay (≤ 440), so the mean
/// over any seeds is longer (claimed).</item>
/// <item>Re-measured 2026-12-01 over seeds 100–459 (360 more, untuned): λ = 0 max test / chance 0.48–1.78, ‖θ‖ end /
/// start 1.038–1.063; λ = 1 delay 310–480 = 3.1–4.8 τ, norm ratio 0.520–0.548; λ = 2 delay 60–170 (all below every
/// λ = 1 delay); every claim holds at every seed. Fraction 0.5: delay 470–770, so it no longer lies above every
/// fraction-0.6 delay of other seeds (480). The test now pairs them by seed (same initialization, and the 0.5 split is
/// a subset of the 0.6 one): 0.5's delay minus 0.6's is 60–390 steps over seeds 160–459, positive for every seed, so
/// the mean over any seeds is longer.</item>
/// <item>Extended 2026-12-02: λ = 0.5 over seeds 300–459 (so every section-3 claim now rests on seeds 0–19 and
/// 100–459): every seed reaches 99 % (train 99 % at 50–70), delay 3.35–4.85 τ, the mean over every 3 consecutive
/// seeds 3.57–4.30 τ, each seed's delay longer than its λ = 1 delay by 320–530 steps. New assertion (notebook
/// section 3): at λ = 1 each seed's ‖θ‖ at test 99 % / ‖θ‖₀ exceeds e^(−delay·ηλ), the factor decay alone gives
/// over the delay; over seeds 0–19 and 100–459 the ratio is 0.520–0.548 and e^(−delay·ηλ) 0.008–0.045.</item>
/// <item>Outside the suite, 2026-12-02 (a throw-away test, not kept): λ = 0 for 7,000 steps (ten times the budget)
/// on seeds 0–19: no seed's test accuracy reached 3/p (highest 0.73–1.53 × chance, the same range as within 700
/// steps), the final test accuracy was 0.08–0.81 × chance, the training accuracy 100 %, ‖θ‖ end / start 1.40–1.43.
/// Longer runs were not tried, so "never" is not measured; the notebook claims only the budget it trains.</item>
/// </list>
/// Cost (before the λ = 0.5 test, which adds 2,100 steps per seed): four runs of 20 networks (58,000 network-steps):
/// the class took 38 s in a `dotnet test` process that used 38.9 s user + 1.9 s system CPU in all (≈ 5 s of it the
/// test host; 2026-11-30 12:35 UTC, load average ≈ 6 on 2 cores) — ≈ 0.6 ms per network-step, after
/// <see cref="GrokkingTraining"/> raised glibc's allocator thresholds (before that: 107 s user + 39 s system for the
/// same class, mostly page faults). Every assertion is per seed, compares every seed of one run with every seed of
/// another, pairs them by seed, or (λ = 0.5) takes the mean of each window of 3 seeds, so it holds for any subset of
/// the seeds (of at least 3 for the last): the test command runs
/// <see cref="SpreadSeeds.Seeds"/> (a sample of three; all 20 with <c>bash scripts/test.sh --full</c>).
/// </summary>
public class GrokkingSpreadTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<int> Seeds = SpreadSeeds.Seeds;
    private static readonly GrokkingSettings Settings = new();

    // the λ = 1 runs, shared by two tests (the cost of this class is four runs of the seeds)
    private static readonly Lazy<IReadOnlyList<GrokkingRun>> AtOne =
        new(() => GrokkingTraining.Run(Settings.ForLambda(1), Seeds));

    private static string Range(IEnumerable<double> values)
    {
        var v = values.ToList();
        return $"[{v.Min():F3}, {v.Max():F3}]";
    }

    [Fact]
    public void WithoutDecayTrainingIsMemorizedAndTestStaysNearChance()
    {
        var runs = GrokkingTraining.Run(Settings.ForLambda(1) with { Lambda = 0 }, Seeds);
        double chance = 1.0 / Settings.Modulus;
        output.WriteLine($"train99 step {Range(runs.Select(r => r.TrainReached() ?? double.NaN))}, final train "
            + $"{Range(runs.Select(r => r.TrainAccuracy[^1]))}, max test / chance "
            + $"{Range(runs.Select(r => r.TestAccuracy.Max() / chance))}, norm end / start "
            + $"{Range(runs.Select(r => r.Norm[^1] / r.Norm[0]))}");
        Assert.All(runs, r => Assert.True(r.TrainAccuracy[^1] >= 0.99, $"seed {r.Seed}: {r.TrainAccuracy[^1]}"));
        Assert.All(runs, r => Assert.True(r.TestAccuracy.Max() < 3 * chance, $"seed {r.Seed}: {r.TestAccuracy.Max()}"));
        Assert.All(runs, r => Assert.True(r.Norm[^1] > r.Norm[0], $"seed {r.Seed}: ‖θ‖ did not grow"));
    }

    [Fact]
    public void WithDecayTestAccuracyJumpsAfterADelayWhileTheNormFalls()
    {
        var runs = AtOne.Value;
        var delays = runs.Select(r => r.Delay ?? double.NaN).ToList();
        output.WriteLine($"train99 {Range(runs.Select(r => r.TrainReached() ?? double.NaN))}, test99 "
            + $"{Range(runs.Select(r => r.TestReached() ?? double.NaN))}, delay {Range(delays)}, delay·ηλ "
            + $"{Range(delays.Select(d => d / Settings.ForLambda(1).Timescale))}, norm at test99 / start "
            + $"{Range(runs.Select(r => r.NormAt(r.TestReached() ?? 0) / r.Norm[0]))}");
        Assert.All(runs, r => Assert.NotNull(r.Delay));
        Assert.All(delays, d => Assert.InRange(d / Settings.ForLambda(1).Timescale, 2.5, 6));
        Assert.All(runs, r => Assert.True(r.NormAt(r.TestReached()!.Value) < 0.6 * r.Norm[0], $"seed {r.Seed}"));
        // the notebook's section 3: the norm falls far less than decay alone would shrink it over the delay
        var pure = runs.Select(r => Math.Exp(-r.Delay!.Value / Settings.ForLambda(1).Timescale)).ToList();
        output.WriteLine($"e^(−delay·ηλ) {Range(pure)}");
        Assert.All(runs.Zip(pure), p => Assert.True(p.First.NormAt(p.First.TestReached()!.Value) / p.First.Norm[0]
            > p.Second, $"seed {p.First.Seed}"));
    }

    [Fact]
    public void SolutionsWithLessDataTheDelayIsLonger()
    {
        var less = GrokkingTraining.Run(Settings.ForLambda(1, timescales: 10) with { TrainFraction = 0.5 },
            Seeds);
        output.WriteLine($"fraction 0.5: train99 {Range(less.Select(r => r.TrainReached() ?? double.NaN))}, test99 "
            + $"{Range(less.Select(r => r.TestReached() ?? double.NaN))}, delay "
            + $"{Range(less.Select(r => r.Delay ?? double.NaN))}");
        Assert.All(less, r => Assert.NotNull(r.Delay));
        // paired by seed (same seed, same initialization): longer for every seed, so the notebook's mean over any
        // seeds is longer
        var longer = less.Zip(AtOne.Value, (l, o) => (l.Seed, Difference: l.Delay!.Value - o.Delay!.Value)).ToList();
        output.WriteLine($"delay at 0.5 − at 0.6, same seed: {Range(longer.Select(d => d.Difference))}");
        Assert.All(longer, d => Assert.True(d.Difference > 0, $"seed {d.Seed}: {d.Difference}"));
    }

    [Fact]
    public void AtTwiceTheDecayEverySeedsDelayIsShorter()
    {
        var one = AtOne.Value;
        var two = GrokkingTraining.Run(Settings.ForLambda(2), Seeds);
        output.WriteLine($"λ = 2: train99 {Range(two.Select(r => r.TrainReached() ?? double.NaN))}, test99 "
            + $"{Range(two.Select(r => r.TestReached() ?? double.NaN))}, delay "
            + $"{Range(two.Select(r => r.Delay ?? double.NaN))}, delay·ηλ "
            + $"{Range(two.Select(r => (r.Delay ?? double.NaN) / Settings.ForLambda(2).Timescale))}");
        Assert.All(two, r => Assert.NotNull(r.Delay));
        Assert.True(two.Max(r => r.Delay!.Value) < one.Min(r => r.Delay!.Value));
    }

    /// <summary>Default mode's extra grid point λ = 0.5 (τ = 200; the notebook trains the grid's λ other than section
    /// 2's for ten timescales, 2,100 steps): the notebook claims its mean delay over <c>gridSeeds</c> (≥ 3) seeds is
    /// 2.5 to 6 timescales, and longer than λ = 1's mean. Asserted: every seed reaches 99 %; the mean delay of every
    /// window of 3 seeds in the run's order is in [2.5 τ, 6 τ]; every seed's delay is longer than the same seed's
    /// delay at λ = 1, so the means over any seeds are ordered.</summary>
    [Fact]
    public void AtHalfTheDecayTheDelayIsAFewTimescalesAndLongerForEverySeed()
    {
        const int window = 3;
        var half = GrokkingTraining.Run(Settings.ForLambda(0.5, timescales: 10), Seeds);
        double tau = Settings.ForLambda(0.5).Timescale;
        Assert.All(half, r => Assert.True(r.Delay is not null, $"seed {r.Seed} never reached 99 %"));
        var scaled = half.Select(r => r.Delay!.Value / tau).ToList();
        var means = Shared.WindowMeans(scaled, window);
        var longer = half.Zip(AtOne.Value, (h, o) => (h.Seed, Difference: h.Delay!.Value - o.Delay!.Value)).ToList();
        output.WriteLine($"λ = 0.5: train99 {Range(half.Select(r => r.TrainReached() ?? double.NaN))}, delay·ηλ "
            + $"{Range(scaled)}, mean over {window} seeds {(means.Count > 0 ? Range(means) : "(fewer seeds)")}, "
            + $"delay − λ = 1's, same seed {Range(longer.Select(d => d.Difference))}");
        Assert.True(means.Count > 0, $"the claim is about the mean over ≥ {window} seeds; got {scaled.Count}");
        Assert.All(means, m => Assert.InRange(m, 2.5, 6));
        Assert.All(longer, d => Assert.True(d.Difference > 0, $"seed {d.Seed}: {d.Difference}"));
    }
}
