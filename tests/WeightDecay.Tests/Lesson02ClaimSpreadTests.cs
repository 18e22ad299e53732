using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spread behind lesson 02's claims whose size depends on the seed (the MLP's initialization and the entries
/// the gradient check draws), run as the notebook runs them: the first 64 bundled training digits in float64, the
/// float64 <see cref="Mlp"/> seeded with the notebook's seed, λ = 0.1, h = 1e-6, SGD η = 0.1, Adam η = 1e-3, full-batch
/// steps. Quick mode checks 30 entries per tensor and trains 10 steps, default mode 100 entries and 30 steps.
/// Measured over seeds 0–19, quick / default mode:
/// <list type="bullet">
/// <item>"central finite differences agree with autograd" (claimed ≤ 1e-6 since session 15, 1e-7 before):
/// 3.8e-10–7.4e-10 / 4.6e-10–6.7e-10 (margin 1350×); "the decay term is over 1000× the finite-difference error":
/// max |λθ| over the error 1.7e7–3.3e7 / 1.9e7–2.7e7. (Autograd against ∂L/∂θ + λθ, claimed ≤ 1e-12, is an
/// identity to rounding: exactly 0 for every seed.)</item>
/// <item>"for Adam [coupled and decoupled decay] are different algorithms" (claimed max |Δθ| &gt; 1e-3 after the
/// last step): 0.0198–0.0200 / 0.051–0.058; for SGD (an identity, claimed ≤ 1e-12) exactly 0.</item>
/// <item>solutions/02, exercise 1: "with momentum 0.9 [coupled and decoupled SGD] differ" (claimed max |Δθ| &gt; 1e-6
/// after the last step): 0.082–0.12 / 0.72–1.3 (measured 2026-12-01).</item>
/// <item>"taking weight_decay literally as the paper's λ decays 1/lr times harder" (claimed max |Δθ| against
/// TorchSharp's AdamW &gt; 1e-2): 0.083–0.085 / 0.129–0.138.</item>
/// <item>"and not ours with the default WeightsOnly: the biases differ" (claimed max |Δθ| against TorchSharp's
/// SGD(weight_decay) &gt; 1e-5): 0.012–0.030 / 0.034–0.096.</item>
/// </list>
/// Since session 9 the test also runs the ends of the notebooks' λ ranges, 0.01 and 0.3 (2026-12-01, seeds 0–19, quick
/// / default): every claim holds. The least room is the literal weight_decay gap at λ = 0.01, 0.0122–0.0124 /
/// 0.0336–0.0344 against the claimed 1e-2 (1.22× in quick mode, but its seed spread is 1.6 %: the gap is λ's decay
/// itself, not noise); the momentum gap is 0.0087–0.0126 / 0.117–0.202 at λ = 0.01 and 0.214–0.32 / 0.645–0.81 at λ =
/// 0.3; the bias gap 0.0012–0.0031 / 0.0038–0.0106 at λ = 0.01.
/// The ranges were measured against TorchSharp's optim.AdamW and optim.SGD; the test compares with the library's
/// equivalents instead (equal to them within 1e-10 and 1e-12, lesson 02's own checks), which TorchSharp's Scalar
/// handling requires (ScalarGuardTests). Cost: about 1.5 s per seed and λ (both modes); the margins are orders of
/// magnitude, so the claims are far from their tolerances for every seed measured.
/// </summary>
public class Lesson02ClaimSpreadTests(ITestOutputHelper output)
{
    private const double SgdLr = 0.1, AdamLr = 1e-3;

    /// <summary>The notebook's finite-difference tolerance and step.</summary>
    private const double FdTolerance = 1e-6, Step = 1e-6;

    /// <summary>The notebook's kink threshold, tolerance / h: entries whose second difference D exceeds it are left
    /// out of the finite-difference comparison (<see cref="GradientCheck.Run"/>). A kink's central difference misses by
    /// h · D / 2, so a kink that is kept misses by at most half the tolerance.</summary>
    private const double KinkCurvature = FdTolerance / Step;

    /// <summary>The notebook's default λ and the ends of its range (lesson 02: [0.01, 0.1]; solutions/02, whose
    /// exercise 1 is the momentum gap: [0.01, 0.3]).</summary>
    private static readonly double[] Lambdas = [0.01, 0.1, 0.3];

    private sealed record Run(int Seed, double Analytic, double Fd, double DecayOverFd, double SgdGap, double AdamGap,
        double Literal, double Biases, double MomentumGap);

    private static Run Measure(int seed, int entries, int steps, Tensor x, Tensor y, double lambda)
    {
        Mlp New() => new(seed: seed, dtype: ScalarType.Float64);
        var ce = new CrossEntropy();
        using var model = New();
        var check = GradientCheck.Run(model, ce, x, y, lambda, DecaySelection.WeightsOnly,
            coordinatesPerTensor: entries, step: Step, seed: seed, kinkCurvature: KinkCurvature);
        var coupled = new WeightDecayOptions(DecayMethod.Coupled, lambda);
        var decoupled = new WeightDecayOptions(DecayMethod.Decoupled, lambda);
        var sgd = new OptimizerOptions(OptimizerKind.Sgd, SgdLr);
        var adam = new OptimizerOptions(OptimizerKind.Adam, AdamLr);
        double sgdGap = DecayDynamics.LockstepDifference(New, x, y, ce, sgd, coupled, decoupled, steps).Max();
        double adamGap = DecayDynamics.LockstepDifference(New, x, y, ce, adam, coupled, decoupled, steps)[^1];
        var heavyBall = new OptimizerOptions(OptimizerKind.Sgd, SgdLr, Momentum: 0.9);
        double momentumGap = DecayDynamics.LockstepDifference(New, x, y, ce, heavyBall, coupled, decoupled, steps)[^1];
        // TorchSharp's optim.AdamW / optim.SGD leave Scalars to finalizers (ScalarGuardTests), so the references are
        // the library's forms the notebook shows equal to them (to 1e-10 and 1e-12): PyTorch-form AdamW, SGD on All.
        using var torchModel = New();
        var torchAdamW = DecayDynamics.Train(torchModel, x, y, ce, adam, new WeightDecayOptions(DecayMethod.Decoupled,
            lambda, Selection: DecaySelection.All), steps);
        using var literalModel = New();
        var literal = DecayDynamics.Train(literalModel, x, y, ce, adam, new WeightDecayOptions(DecayMethod.Decoupled,
            lambda, Selection: DecaySelection.All, DecoupledScalesWithLearningRate: false), steps);
        using var sgdModel = New();
        var torchSgd = DecayDynamics.Train(sgdModel, x, y, ce, sgd, coupled with { Selection = DecaySelection.All },
            steps);
        using var weightsOnlyModel = New();
        var weightsOnly = DecayDynamics.Train(weightsOnlyModel, x, y, ce, sgd, coupled, steps);
        return new Run(seed, check.MaxAnalyticError, check.MaxFiniteDifferenceError,
            check.MaxDecayTerm / check.MaxFiniteDifferenceError, sgdGap, adamGap,
            GradientCheck.MaxAbsDifference(literal, torchAdamW), GradientCheck.MaxAbsDifference(weightsOnly, torchSgd),
            momentumGap);
    }

    /// <summary>
    /// The finite-difference claim alone, cheap enough for many seeds: for each seed, lesson 02's check (λ = 0.1,
    /// h = 1e-6, 30 and 100 entries per tensor) without and with the kink threshold. Untuned quick-mode seed 42445
    /// (session 10) failed "central finite differences agree with autograd" with 3.4e-4: one drawn entry lay within h
    /// of a ReLU kink (its central difference is off by half the gradient's jump, whatever the gradient). Measured on
    /// 2026-12-01 over seeds 0–399 and 42445: without the threshold the error exceeds 1e-7 at 1 of 401 seeds with 30
    /// entries per tensor and at 6 of 401 with 100 (9.9e-6 … 3.4e-4; lesson 02's default mode failed there); with the
    /// threshold 2 exactly those entries are left out (at most one per seed), the kept entries' error is ≤ 9.5e-10
    /// (claimed ≤ 1e-7), their second difference ≤ 0.161 (the threshold has 12× room; a kink's is 2 · error / h, ≥ 20
    /// for those seen), and max |λθ| over the error ≥ 1.3e7 (claimed &gt; 1000). A kink whose error lay between 1e-7
    /// and 1e-6 (second difference 0.2 … 2) would still have failed that claim, none occurred in the 802 checks.
    /// Since session 15 the claim's tolerance is 1e-6 and the threshold tolerance / h = 1, so no single kink can fail
    /// it: a kink that is kept has a second difference ≤ 1 and so an error ≤ h / 2 = 5e-7 (plus the curvature's share,
    /// ≤ 0.161 · h / 2), which <c>DecayTheoryTests</c> checks on a pure corner. Re-measured over the same 401 seeds
    /// (2026-12-01, session 15): the same 7 entries are left out, kept error ≤ 9.5e-10, second difference ≤ 0.161
    /// (the threshold has 6.2× room; asserted below a third of it), max |λθ| over the error ≥ 1.3e7.
    /// </summary>
    [Fact]
    public void FiniteDifferencesAgreeAwayFromKinks()
    {
        var (x, y) = Shared.FirstDigitsFloat64();
        using var _x = x;
        using var _y = y;
        foreach (int entries in new[] { 30, 100 })
        {
            var rows = SpreadSeeds.Seeds.Select(seed =>
            {
                using var model = new Mlp(seed: seed, dtype: ScalarType.Float64);
                GradientCheckResult Check(double kink) => GradientCheck.Run(model, new CrossEntropy(), x, y, 0.1,
                    coordinatesPerTensor: entries, step: Step, seed: seed, kinkCurvature: kink);
                var raw = Check(double.PositiveInfinity);
                var kept = Check(KinkCurvature);
                return (Seed: seed, Raw: raw.MaxFiniteDifferenceError, Kept: kept.MaxFiniteDifferenceError,
                    Kinks: kept.KinkCoordinates, Curvature: kept.MaxCurvature,
                    DecayOverFd: kept.MaxDecayTerm / kept.MaxFiniteDifferenceError);
            }).ToList();
            foreach (var r in rows.Where(r => r.Kinks > 0 || r.Raw > 1e-7)) output.WriteLine($"{entries} entries: {r}");
            output.WriteLine($"{entries} entries per tensor, {rows.Count} seeds: raw error {rows.Min(r => r.Raw):E2} … "
                + $"{rows.Max(r => r.Raw):E2} (> 1e-7 at {rows.Count(r => r.Raw > 1e-7)}); kinks left out at "
                + $"{rows.Count(r => r.Kinks > 0)} seeds (at most {rows.Max(r => r.Kinks)}); kept: error ≤ "
                + $"{rows.Max(r => r.Kept):E2}, second difference ≤ {rows.Max(r => r.Curvature):G3}, decay/FD ≥ "
                + $"{rows.Min(r => r.DecayOverFd):E2}");
            Assert.All(rows, r => Assert.True(
                r.Kept <= FdTolerance && r.DecayOverFd > 1000 && r.Curvature < KinkCurvature / 3, r.ToString()));
        }
    }

    /// <summary>The notebook's claims with its tolerances, at every seed, in quick and default mode.</summary>
    [Fact]
    public void SeedDependentClaimsHoldInBothModes()
    {
        var (x, y) = Shared.FirstDigitsFloat64();
        using var _x = x;
        using var _y = y;
        var failures = new List<string>();
        foreach (var (mode, entries, steps) in new[] { ("quick", 30, 10), ("default", 100, 30) })
        foreach (double lambda in Lambdas)
        {
            var runs = SpreadSeeds.Seeds.Select(s => Measure(s, entries, steps, x, y, lambda)).ToList();
            string R(Func<Run, double> f) => $"{runs.Min(f):G3} … {runs.Max(f):G3}";
            output.WriteLine($"{mode}, λ = {lambda}: analytic {R(r => r.Analytic)}; FD {R(r => r.Fd)}; decay/FD " +
                $"{R(r => r.DecayOverFd)}; SGD gap {R(r => r.SgdGap)}; Adam gap {R(r => r.AdamGap)}; literal " +
                $"{R(r => r.Literal)}; biases {R(r => r.Biases)}; momentum gap {R(r => r.MomentumGap)}");
            failures.AddRange(runs.Where(r => !(r.Analytic <= 1e-12 && r.Fd <= FdTolerance && r.DecayOverFd > 1000
                && r.SgdGap <= 1e-12 && r.AdamGap > 1e-3 && r.Literal > 1e-2 && r.Biases > 1e-5
                && r.MomentumGap > 1e-6))
                .Select(r => $"{mode}, λ = {lambda}: {r}"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
