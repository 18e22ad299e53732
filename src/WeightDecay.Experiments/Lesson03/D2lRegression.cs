using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// d2l's high-dimensional regression as the lessons train it: a linear model on <see cref="SyntheticRegression"/>
/// (d = 200, n = 20), w ~ N(0, initStd²), b = 0, minibatch SGD (batch 5, learning rate 0.003), the penalty
/// (λ/2)‖w‖² on the weights only. Also the references its losses and norms are read against: the constant predictor
/// (the training mean) and the norm that theory predicts after training.
/// </summary>
/// <remarks>Lessons 00 (00-setup-check) and 03 (03-high-dimensional-linear-regression) and their solutions.</remarks>
public static class D2lRegression
{
    /// <summary>d2l's learning rate η.</summary>
    public const double LearningRate = 0.003;

    /// <summary>d2l's minibatch size.</summary>
    public const int BatchSize = 5;

    /// <summary>The training recipe (SGD, batch 5, η = 0.003, penalty on the weights, snapshots at the start and the
    /// end).</summary>
    /// <param name="data">The data set.</param>
    /// <param name="epochs">Epochs (≥ 1).</param>
    /// <param name="seed">Seed of the initialization and of the minibatch order.</param>
    /// <param name="initStd">Standard deviation of the initial weights (1 in d2l's older edition).</param>
    /// <param name="learningRate">η (d2l's 0.003 by default).</param>
    public static TrainingRecipe<LinearRegression> Recipe(SyntheticRegression data, int epochs, int seed,
        double initStd = 1, double learningRate = LearningRate)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Need at least one epoch.");
        int d = data.TrueWeights.Length;
        return new TrainingRecipe<LinearRegression>
        {
            NewModel = () => new LinearRegression(d, initStd: initStd, seed: seed),
            Train = data.Train, Test = data.Test, Loss = new HalfSquaredError(),
            Optimizer = new OptimizerOptions(OptimizerKind.Sgd, LearningRate: learningRate),
            Method = DecayMethod.Penalty, Epochs = epochs, BatchSize = BatchSize, Seed = seed,
            SnapshotEveryEpochs = epochs,
        };
    }

    /// <summary>SGD steps of <paramref name="epochs"/> epochs over <paramref name="trainCount"/> examples (the last
    /// batch may be smaller).</summary>
    public static int Steps(int epochs, long trainCount) => epochs * (int)((trainCount + BatchSize - 1) / BatchSize);

    /// <summary>The test loss (mean ½-squared error) of the constant predictor ŷ = mean of the training targets: the
    /// baseline every test loss of the lesson is read against.</summary>
    public static double ConstantPredictorLoss(SyntheticRegression data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double mean;
        using (NewDisposeScope()) mean = data.Train.Targets.to_type(ScalarType.Float64).mean().item<double>();
        return Ridge.Loss(data.Test, new LinearSolution(new double[data.TrueWeights.Length], mean));
    }

    /// <summary>
    /// The norm ‖w‖₂ that theory predicts after training with λ: the part of w₀ orthogonal to the span of the
    /// training inputs never receives a data gradient, so it is only multiplied by (1 − ηλ) per step; the part in the
    /// span converges to the closed-form ridge solution w_λ (which lies in the span). Prediction:
    /// √(‖w₀⊥‖² (1 − ηλ)^{2T} + ‖w_λ‖²). For λ = 0 the ridge term is the minimum-norm interpolant's.
    /// </summary>
    /// <param name="data">The data set.</param>
    /// <param name="initialWeights">w₀.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="steps">Number of SGD steps T.</param>
    /// <param name="learningRate">η.</param>
    public static double PredictedNorm(SyntheticRegression data, IReadOnlyList<double> initialWeights, double lambda,
        int steps, double learningRate = LearningRate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(initialWeights);
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0.");
        double orthogonal = DataSpan.Split(data.Train, initialWeights).Orthogonal
            * Math.Pow(1 - learningRate * lambda, steps);
        double ridge = Ridge.Solve(data.Train, Math.Max(lambda, 1e-9)).WeightNorm;
        return Math.Sqrt(orthogonal * orthogonal + ridge * ridge);
    }

    /// <summary>
    /// The smallest integer factor k ≤ <paramref name="maxFactor"/> for which training with the learning rate
    /// k·η diverges — the loss becomes NaN or infinite, or ends above the initial model's loss — or null when none
    /// does. Lesson 00, exercise 2: a gradient step on a quadratic is stable while η &lt; 2/h_max.
    /// </summary>
    public static int? DivergenceFactor(SyntheticRegression data, int epochs, int seed, double lambda,
        int maxFactor = 32)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (maxFactor < 1)
            throw new ArgumentOutOfRangeException(nameof(maxFactor), maxFactor, "Need a factor ≥ 1.");
        for (int k = 1; k <= maxFactor; k++)
            if (Diverges(data, epochs, seed, lambda, k * LearningRate)) return k;
        return null;
    }

    /// <summary>Whether training with learning rate <paramref name="learningRate"/> diverges (see
    /// <see cref="DivergenceFactor"/>).</summary>
    public static bool Diverges(SyntheticRegression data, int epochs, int seed, double lambda, double learningRate)
    {
        try
        {
            var h = Recipe(data, epochs, seed, learningRate: learningRate).Fit(lambda);
            return !(h.Final.TrainLoss <= h.Epochs[0].TrainLoss);
        }
        catch (TrainingDivergedException)
        {
            return true;
        }
    }

    /// <summary>2/h for the largest curvature h of the minibatch loss (with the bias as a feature of value 1) over
    /// the single examples: a batch of B nearly orthogonal inputs has the curvature (‖xᵢ‖² + 1)/B along each of
    /// them, so 2B/max(‖xᵢ‖² + 1) is the step beyond which one of them overshoots. Plus λ on the weights:
    /// 2/(h + λ). Lesson 00, exercise 2.</summary>
    public static double StableLearningRate(SyntheticRegression data, double lambda)
    {
        ArgumentNullException.ThrowIfNull(data);
        double maxSquare;
        using (NewDisposeScope())
            maxSquare = data.Train.Features.to_type(ScalarType.Float64).Square().sum(1).max().item<double>();
        return 2 / ((maxSquare + 1) / BatchSize + lambda);
    }
}
