using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>
/// Linear regression ŷ = x·wᵀ + b with parameters named <c>weight</c> (shape [1, d]) and <c>bias</c> (shape [1]).
/// Initialization as in d2l: w ~ N(0, <c>initStd</c>²) (d2l's current edition uses 0.01, the older one 1), b = 0.
/// Output shape [n, 1].
/// </summary>
public sealed class LinearRegression : nn.Module<Tensor, Tensor>, IFeatureModel
{
#pragma warning disable IDE1006 // PyTorch-style parameter names
    private readonly Parameter weight;
    private readonly Parameter bias;
#pragma warning restore IDE1006

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Creates the model with seeded initialization (the global torch generator is not touched).</summary>
    public LinearRegression(long inputs, double initStd = 0.01, long seed = 0, ScalarType dtype = ScalarType.Float32)
        : base(nameof(LinearRegression))
    {
        if (inputs < 1)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input feature.");
        if (!(initStd >= 0) || double.IsInfinity(initStd))
            throw new ArgumentOutOfRangeException(nameof(initStd), initStd,
                "Initial standard deviation must be finite and ≥ 0.");
        InputFeatures = inputs;
        using var gen = new Generator(Seeds.Derive(seed, "linear-regression-init"));
        using var std = initStd.ToScalar();
        using (NewDisposeScope())
        {
            // Parameter takes the tensor's native handle; the emptied wrappers are disposed with the scope.
            weight = new Parameter(
                randn(new long[] { 1, inputs }, dtype: ScalarType.Float64, generator: gen).mul_(std).to_type(dtype));
            bias = new Parameter(zeros(1, dtype: dtype));
            weight.DetachFromDisposeScope();
            bias.DetachFromDisposeScope();
        }
        RegisterComponents();
    }

    /// <summary>The weight vector w, shape [1, d].</summary>
    public Parameter Weight => weight;

    /// <summary>The bias b, shape [1].</summary>
    public Parameter Bias => bias;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
