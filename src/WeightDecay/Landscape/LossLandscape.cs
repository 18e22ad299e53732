using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>
/// Slices of the loss landscape (Li et al., "Visualizing the Loss Landscape of Neural Nets", 2018): linear
/// interpolation between two parameter sets, a line along one direction and a plane spanned by two directions.
/// </summary>
/// <remarks>
/// <para>Every point reports the mean data loss (<see cref="Loss"/>, mean over all examples, no penalty) on the
/// training set and, if given, the test set, and for classification the accuracy in [0, 1]. The model is evaluated in
/// evaluation mode (no dropout) and without gradients.</para>
/// <para>The model is used as the architecture: its parameters are temporarily set to each point and restored
/// afterwards (bitwise, also after an exception or cancellation), so it is unchanged by any slice call.</para>
/// <para>For an <see cref="Mlp"/> with cross-entropy or half squared error the points are evaluated many per pass
/// (<see cref="EvaluationPath.Batched"/>); other models use the per-point reference path.
/// <see cref="SliceOptions.Path"/> forces either.</para>
/// </remarks>
public static class LossLandscape
{
    /// <summary>
    /// Linear interpolation θ(α) = (1 − α)·θ₀ + α·θ₁ = θ₀ + α·(θ₁ − θ₀), by default at 101 points on α ∈ [−0.5, 1.5]
    /// (θ₀ at α = 0, θ₁ at α = 1).
    /// </summary>
    /// <param name="model">The architecture (its parameters are restored afterwards).</param>
    /// <param name="theta0">θ₀, shaped like the model's trainable parameters.</param>
    /// <param name="theta1">θ₁, same layout.</param>
    /// <param name="train">Training set (its loss is reported at every point).</param>
    /// <param name="test">Optional test set.</param>
    /// <param name="loss">Data loss.</param>
    /// <param name="alpha">Coordinates (default <see cref="GridAxis.InterpolationDefault"/>).</param>
    /// <param name="options">Evaluation settings; <see cref="SliceOptions.Center"/> must be null (the center is
    /// θ₀).</param>
    /// <exception cref="ArgumentException">Layouts that differ from the model's parameters, data that does not fit the
    /// model, or invalid options; the message names the value.</exception>
    public static Slice1D Interpolation(nn.Module<Tensor, Tensor> model, ParameterDirection theta0,
        ParameterDirection theta1,
        TensorDataset train, TensorDataset? test, Loss loss, GridAxis? alpha = null, SliceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(theta0);
        ArgumentNullException.ThrowIfNull(theta1);
        options ??= new SliceOptions();
        if (options.Center is not null)
            throw new ArgumentException("SliceOptions.Center must be null for an interpolation: the slice starts at " +
                "θ₀ (theta0).", nameof(options));
        Check(model, train, test, loss, options);
        theta0.CheckMatches(model, nameof(theta0));
        theta1.CheckMatches(model, nameof(theta1));
        alpha ??= GridAxis.InterpolationDefault;
        var a = alpha.Values();
        using var direction = ParameterDirection.Between(theta0, theta1);
        var (tr, te) = GridEvaluation.Run(model, new GridSpec(theta0, direction, null, a, null), train, test, loss,
            options);
        return new Slice1D(Slice1DKind.Interpolation, a, tr.Loss, tr.Accuracy, te?.Loss, te?.Accuracy);
    }

    /// <summary>Linear interpolation from <paramref name="model"/>'s parameters (θ₀) to <paramref name="target"/>'s
    /// (θ₁), a model of the same architecture (see the other overload).</summary>
    public static Slice1D Interpolation(nn.Module<Tensor, Tensor> model, nn.Module target, TensorDataset train,
        TensorDataset? test, Loss loss, GridAxis? alpha = null, SliceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        using var theta0 = ParameterDirection.FromModel(model);
        using var theta1 = ParameterDirection.FromModel(target);
        return Interpolation(model, theta0, theta1, train, test, loss, alpha, options);
    }

    /// <summary>
    /// The line θ + α·d, by default at 51 points on α ∈ [−1, 1], where θ is <see cref="SliceOptions.Center"/> or the
    /// model's current parameters (at α = 0).
    /// </summary>
    /// <param name="model">The architecture (its parameters are restored afterwards).</param>
    /// <param name="direction">d, shaped like the model's trainable parameters (e.g.
    /// <see cref="ParameterDirection.Random"/>).</param>
    /// <param name="train">Training set.</param>
    /// <param name="test">Optional test set.</param>
    /// <param name="loss">Data loss.</param>
    /// <param name="alpha">Coordinates (default <see cref="GridAxis.DirectionDefault"/>).</param>
    /// <param name="options">Evaluation settings.</param>
    /// <exception cref="ArgumentException">See
    /// <see cref="Interpolation(nn.Module{Tensor, Tensor}, ParameterDirection, ParameterDirection, TensorDataset,
    /// TensorDataset?, Loss, GridAxis?, SliceOptions?)"/>.</exception>
    public static Slice1D Line(nn.Module<Tensor, Tensor> model, ParameterDirection direction, TensorDataset train,
        TensorDataset? test, Loss loss, GridAxis? alpha = null, SliceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(direction);
        options ??= new SliceOptions();
        Check(model, train, test, loss, options);
        direction.CheckMatches(model, nameof(direction));
        alpha ??= GridAxis.DirectionDefault;
        var a = alpha.Values();
        using var center = CenterOf(model, options);
        var (tr, te) = GridEvaluation.Run(model, new GridSpec(center, direction, null, a, null), train, test, loss,
            options);
        return new Slice1D(Slice1DKind.Direction, a, tr.Loss, tr.Accuracy, te?.Loss, te?.Accuracy);
    }

    /// <summary>
    /// The plane θ + α·d₁ + β·d₂, by default on a 51 × 51 grid over [−1, 1]², where θ is
    /// <see cref="SliceOptions.Center"/> or the model's current parameters (at α = β = 0). Values are indexed [α index,
    /// β index].
    /// </summary>
    /// <param name="model">The architecture (its parameters are restored afterwards).</param>
    /// <param name="x">d₁ (e.g. <see cref="ParameterDirection.RandomPair"/>'s X, or
    /// <see cref="PcaTrajectory.X"/>).</param>
    /// <param name="y">d₂.</param>
    /// <param name="train">Training set.</param>
    /// <param name="test">Optional test set.</param>
    /// <param name="loss">Data loss.</param>
    /// <param name="alpha">Coordinates along d₁ (default <see cref="GridAxis.DirectionDefault"/>).</param>
    /// <param name="beta">Coordinates along d₂ (default <see cref="GridAxis.DirectionDefault"/>).</param>
    /// <param name="options">Evaluation settings.</param>
    /// <exception cref="ArgumentException">See
    /// <see cref="Interpolation(nn.Module{Tensor, Tensor}, ParameterDirection, ParameterDirection, TensorDataset,
    /// TensorDataset?, Loss, GridAxis?, SliceOptions?)"/>.</exception>
    public static Slice2D Plane(nn.Module<Tensor, Tensor> model, ParameterDirection x, ParameterDirection y,
        TensorDataset train,
        TensorDataset? test, Loss loss, GridAxis? alpha = null, GridAxis? beta = null, SliceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        options ??= new SliceOptions();
        Check(model, train, test, loss, options);
        x.CheckMatches(model, nameof(x));
        y.CheckMatches(model, nameof(y));
        var a = (alpha ?? GridAxis.DirectionDefault).Values();
        var b = (beta ?? GridAxis.DirectionDefault).Values();
        int n = a.Length * b.Length;
        var fa = new double[n];
        var fb = new double[n];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++)
                (fa[i * b.Length + j], fb[i * b.Length + j]) = (a[i], b[j]);
        using var center = CenterOf(model, options);
        var (tr, te) = GridEvaluation.Run(model, new GridSpec(center, x, y, fa, fb), train, test, loss, options);
        double[,] Grid(double[] v)
        {
            var g = new double[a.Length, b.Length];
            for (int i = 0; i < a.Length; i++)
                for (int j = 0; j < b.Length; j++)
                    g[i, j] = v[i * b.Length + j];
            return g;
        }
        return new Slice2D(a, b, Grid(tr.Loss), tr.Accuracy is null ? null : Grid(tr.Accuracy),
            te is null ? null : Grid(te.Loss), te?.Accuracy is null ? null : Grid(te.Accuracy));
    }

    /// <summary>The path a slice of <paramref name="model"/> with <paramref name="loss"/> uses when
    /// <paramref name="requested"/> is given: <see cref="EvaluationPath.Batched"/> or
    /// <see cref="EvaluationPath.PerPoint"/>, never Auto.</summary>
    /// <exception cref="ArgumentException">Batched was requested for a model or loss it does not support.</exception>
    public static EvaluationPath ResolvePath(nn.Module<Tensor, Tensor> model, Loss loss,
        EvaluationPath requested = EvaluationPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        return GridEvaluation.Resolve(model, loss, requested);
    }

    private static ParameterDirection CenterOf(nn.Module model, SliceOptions options)
    {
        if (options.Center is null) return ParameterDirection.FromModel(model);
        options.Center.CheckMatches(model, "options.Center");
        return options.Center.Clone();
    }

    private static void Check(nn.Module<Tensor, Tensor> model, TensorDataset train, TensorDataset? test, Loss loss,
        SliceOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(loss);
        options.Validate();
        CheckFits(model, train, loss, nameof(train));
        if (test is not null) CheckFits(model, test, loss, nameof(test));
        GridEvaluation.Resolve(model, loss, options.Path);
    }

    internal static void CheckFits(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss, string name)
    {
        if (data.Count < 1) throw new ArgumentException($"The {name} set is empty.", name);
        if (model is IFeatureModel fm && data.FeatureCount != fm.InputFeatures)
            throw new ArgumentException(
                $"The {name} set has {data.FeatureCount} features per example but the model expects " +
                $"{fm.InputFeatures}.", name);
        var dtype = ParameterDirection.Trainable(model)[0].Parameter.dtype;
        if (data.Features.dtype != dtype)
            throw new ArgumentException(
                $"The {name} features are {data.Features.dtype} but the model's parameters are {dtype}; convert with " +
                $"TensorDataset.To({dtype}).", name);
        if (loss.IsClassification && data.Targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"The {name} targets are {data.Targets.dtype}; a classification loss needs " +
                "int64 class indices.", name);
        if (!loss.IsClassification && data.Targets.numel() != data.Count)
            throw new ArgumentException(
                $"The {name} targets have {data.Targets.numel()} values for {data.Count} examples; expected one " +
                "target per example.", name);
        if (!loss.IsClassification && model is Mlp mlp && mlp.Outputs != 1)
            throw new ArgumentException(
                $"The model has {mlp.Outputs} outputs but the {name} set has one regression target per example; " +
                "expected 1 output.", name);
    }
}
