using Xunit.Abstractions;

namespace WeightDecay.Tests;

/// <summary>
/// The seed spreads behind the two claims of notebook 09's solutions that compare runs (issue 15). Each test runs
/// the solutions' configuration through <see cref="Experiment"/> — the same parameters the notebook parses — for
/// <see cref="SpreadSeeds.Seeds"/> and asserts the claim for every seed; the runs are small, so quick and default
/// sizes are both checked. Measured over seeds 0–19 on 2026-11-30 (OMP_NUM_THREADS=1; the notebook runs with one
/// torch thread):
/// <list type="bullet">
/// <item>Coupled ‖θ‖ / AdamW's ‖θ‖ at λ = 1: quick (2 epochs) 0.239–0.258, default (4 epochs) 0.121–0.135. The
/// notebook claims &lt; 0.5: 1.9× the largest ratio. Coupled L2 collapsed to the constant predictor (test loss
/// 2.20–2.25 nats, the <see cref="Experiment.IsCollapsed"/> flag set) for every seed in both modes, AdamW for none
/// (test loss 1.24–1.33 quick, 0.73–0.79 default): the smaller norm is not a better model, as the notebook says.</item>
/// <item>d2l's setting, λ = 3 against λ = 0 (100 epochs in both modes): ‖θ‖ ratio 0.171–0.342 (claimed &lt; 0.5:
/// 1.46× the largest), test-loss ratio 0.418–0.725 (claimed &lt; 1: 1.38× the largest). At λ = 0 the test loss
/// is above the constant predictor's for every seed; at λ = 3 it is near it, on either side.</item>
/// </list>
/// Cost: the three-seed sample (12 small Adam runs, 6 regression runs) takes ≈ 4 CPU-s with one thread; all 20
/// seeds about 2 min of test time on a heavily loaded machine.
/// The test command runs a sample of the 20 seeds by default; see <see cref="SpreadSeeds"/>.
/// Seeds 400–499 (2026-12-01, session 15): every claim held; ‖θ‖ ratio at λ = 1 0.238–0.261 (2 epochs) and 0.119–0.138
/// (4 epochs); d2l's setting norm ratio 0.159–0.392, test-loss ratio 0.363–0.942.
/// </summary>
public class YourExperimentSpreadTests(ITestOutputHelper output)
{
    /// <summary>Solutions 1: "at λ = 1, coupled L2 under Adam ends with under half the ‖θ‖ of decoupled decay (AdamW)"
    /// — MNIST, 1,000 training digits, Mlp 784 → 64 → 10, Adam η = 1e-3, batch 64, the λ = 1 run only (each λ of
    /// the notebook's grid "0,1" starts from the same initialization with the same minibatches, so the λ = 1 run is
    /// the notebook's), quick (2 epochs) and default (4 epochs) sizes.</summary>
    [Fact]
    public void CoupledL2UnderAdamEndsWithUnderHalfTheNormOfAdamWAtLambdaOne()
    {
        foreach (int epochs in new[] { 2, 4 })
        {
            var ratios = new List<double>();
            foreach (int seed in SpreadSeeds.Seeds)
            {
                (double Norm, double Loss, bool Collapsed) Run(string method)
                {
                    using var ex = Experiment.Prepare(ExperimentParameters.Parse("mnist", "64", method, "adam", "1",
                        1e-3, epochs, 64, seed, 1000));
                    ex.Run();
                    var f = ex.Runs[0].History.Final;
                    return (f.ParameterNorm, f.TestLoss!.Value, ex.IsCollapsed(0));
                }
                var (coupled, decoupled) = (Run("coupled"), Run("decoupled"));
                ratios.Add(coupled.Norm / decoupled.Norm);
                output.WriteLine($"epochs {epochs}, seed {seed}: ‖θ‖ coupled {coupled.Norm:F3} " +
                    $"(test loss {coupled.Loss:F3}, collapsed {coupled.Collapsed}), decoupled {decoupled.Norm:F3} " +
                    $"(test loss {decoupled.Loss:F3}, collapsed {decoupled.Collapsed}); ratio {ratios[^1]:F3}");
                // the notebook's tolerance (until session 11 this asserted only < 1)
                Assert.True(coupled.Norm < 0.5 * decoupled.Norm,
                    $"epochs {epochs}, seed {seed}: ratio {ratios[^1]:F3}");
            }
            output.WriteLine($"epochs {epochs}: coupled / decoupled ‖θ‖ {ratios.Min():F3} … {ratios.Max():F3}");
        }
    }

    /// <summary>Lesson 09: "training lowered the chosen model's training loss" — the notebook's default grid
    /// (MNIST, Mlp 784 → 64 → 10, decoupled Adam η = 1e-3, λ ∈ {0, 0.3, 1, 3, 10}, batch 64), the run chosen on
    /// validation, quick (2 epochs, 1,000 digits) and default (25 epochs, 2,000 digits) sizes. The claim exists so
    /// that an untrained model fails the notebook (issue 15); it has no tolerance to measure, only a margin. Seeds
    /// 0–19 (2026-12-02, session 18): after / before 0.505–0.548 (2 epochs) and 0.037–0.044 (25 epochs); seeds 100–119:
    /// 0.514–0.576 and 0.036–0.047.</summary>
    [Fact]
    public void TrainingLowersTheChosenModelsTrainingLoss()
    {
        foreach (var (epochs, digits) in new[] { (2, 1000), (25, 2000) })
        {
            var ratios = new List<double>();
            foreach (int seed in SpreadSeeds.Seeds)
            {
                using var ex = Experiment.Prepare(ExperimentParameters.Parse("mnist", "64", "decoupled", "adam",
                    "0,0.3,1,3,10", 1e-3, epochs, 64, seed, digits));
                ex.Run();
                var history = ex.Runs[ex.BestIndex].History;
                double before = history.Epochs[0].TrainLoss, after = history.Final.TrainLoss;
                ratios.Add(after / before);
                output.WriteLine($"epochs {epochs}, seed {seed}: λ = {ex.Runs[ex.BestIndex].Lambda}, training " +
                    $"loss {before:G4} → {after:G4} (×{ratios[^1]:F3})");
                Assert.True(after < before, $"epochs {epochs}, seed {seed}: {before:G4} → {after:G4}");
            }
            output.WriteLine($"epochs {epochs}: after / before {ratios.Min():F3} … {ratios.Max():F3}");
        }
    }

    /// <summary>Solutions 2: "λ = 3 gives a much smaller ‖w‖ (under half) and a lower test loss than λ = 0" — d2l's
    /// setting through <see cref="Experiment"/> (regression, 20 examples of 200 features, SGD η = 0.003, batch 5,
    /// coupled decay, 100 epochs in both modes).</summary>
    [Fact]
    public void D2lSettingLambdaThreeHalvesTheNormAndLowersTheTestLoss()
    {
        var normRatios = new List<double>();
        var lossRatios = new List<double>();
        foreach (int seed in SpreadSeeds.Seeds)
        {
            using var ex = Experiment.Prepare(ExperimentParameters.Parse("regression", "", "coupled", "sgd", "0,3",
                0.003, 100, 5, seed));
            ex.Run();
            var (none, decayed) = (ex.Runs[0].History.Final, ex.Runs[1].History.Final);
            double normRatio = decayed.ParameterNorm / none.ParameterNorm;
            double lossRatio = decayed.TestLoss!.Value / none.TestLoss!.Value;
            normRatios.Add(normRatio);
            lossRatios.Add(lossRatio);
            output.WriteLine($"seed {seed}: ‖θ‖ {none.ParameterNorm:F3} → {decayed.ParameterNorm:F3} " +
                $"(×{normRatio:F4}); test loss {none.TestLoss:G4} → {decayed.TestLoss:G4} (×{lossRatio:G3}); " +
                $"baseline {ex.BaselineTestLoss:G4}");
            Assert.True(normRatio < 0.5, $"seed {seed}: norm ratio {normRatio:F3}");
            Assert.True(lossRatio < 1, $"seed {seed}: test-loss ratio {lossRatio:G3}");
        }
        output.WriteLine($"norm ratio {normRatios.Min():F4} … {normRatios.Max():F4}; " +
            $"test-loss ratio {lossRatios.Min():G3} … {lossRatios.Max():G3}");
    }
}
