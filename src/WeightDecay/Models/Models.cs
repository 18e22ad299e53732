using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>A model whose training-time randomness (e.g. dropout) draws from its own generator, so that trainings running
/// in parallel stay reproducible. <see cref="Training.Trainer"/> reseeds it at the start of every training.</summary>
public interface IStochasticModel
{
    /// <summary>Restarts the model's random stream from <paramref name="seed"/>.</summary>
    void Reseed(long seed);
}

/// <summary>A model that takes flat feature vectors of a known length.</summary>
public interface IFeatureModel
{
    /// <summary>Number of input features the model expects.</summary>
    long InputFeatures { get; }
}

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
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input feature.");
        if (!(initStd >= 0) || double.IsInfinity(initStd))
            throw new ArgumentOutOfRangeException(nameof(initStd), initStd, "Initial standard deviation must be finite and ≥ 0.");
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

/// <summary>
/// A multilayer perceptron: inputs → hidden₁ → ReLU → … → outputs (logits), optional (inverted) dropout after each ReLU
/// in training mode, drawing its masks from the model's own generator (see <see cref="IStochasticModel"/>).
/// Layers are named <c>fc1</c>, <c>fc2</c>, …; the default is the seed's 784 → 64 → ReLU → 10.
/// Initialization matches PyTorch's <c>nn.Linear</c> (weights and biases ~ U(−1/√fan_in, 1/√fan_in)) but draws from a
/// generator seeded with <c>seed</c>, so the same seed always gives the same network.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, IFeatureModel, IStochasticModel
{
    private readonly List<Linear> _layers = [];
    private Generator _dropoutGenerator;

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Number of outputs (classes).</summary>
    public long Outputs { get; }

    /// <summary>Dropout probability after each hidden ReLU (0 = none).</summary>
    public double Dropout { get; }

    /// <summary>Creates the network.</summary>
    public Mlp(long inputs = 784, IReadOnlyList<int>? hidden = null, long outputs = 10, double dropout = 0,
        long seed = 0, ScalarType dtype = ScalarType.Float32) : base(nameof(Mlp))
    {
        hidden ??= [64];
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Need at least one output.");
        foreach (var h in hidden)
            if (h < 1) throw new ArgumentOutOfRangeException(nameof(hidden), h, "Hidden sizes must be ≥ 1.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1).");
        (InputFeatures, HiddenSizes, Outputs, Dropout) = (inputs, hidden.ToArray(), outputs, dropout);

        var sizes = new List<long> { inputs };
        sizes.AddRange(hidden.Select(h => (long)h));
        sizes.Add(outputs);
        using var gen = new Generator(Seeds.Derive(seed, "mlp-init"));
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            var layer = nn.Linear(sizes[i], sizes[i + 1], dtype: dtype);
            double bound = 1.0 / Math.Sqrt(sizes[i]);
            using var width = (2 * bound).ToScalar();
            using var lower = bound.ToScalar();
            using (NewDisposeScope())
            using (no_grad())
            {
                // drawn in float64 from our generator, then cast: the same seed gives the same network for any dtype
                layer.weight!.copy_(Uniform(layer.weight!.shape, gen, width, lower));
                layer.bias!.copy_(Uniform(layer.bias!.shape, gen, width, lower));
            }
            _layers.Add(layer);
            register_module($"fc{i + 1}", layer);
        }
        _dropoutGenerator = new Generator(Seeds.Derive(seed, "mlp-dropout"));
    }

    /// <summary>Uniform float64 values rand·width − lower from <paramref name="gen"/> (width = 2b, lower = b: U(−b, b)).</summary>
    internal static Tensor Uniform(long[] shape, Generator gen, Scalar width, Scalar lower) =>
        rand(shape, dtype: ScalarType.Float64, generator: gen).mul_(width).sub_(lower);

    /// <inheritdoc/>
    public void Reseed(long seed)
    {
        _dropoutGenerator.Dispose();
        _dropoutGenerator = new Generator(Seeds.Derive(seed, "mlp-dropout"));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _dropoutGenerator.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The linear layers fc1, fc2, … in order.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(x);
            if (i + 1 < _layers.Count)
            {
                x = nn.functional.relu(x);
                if (Dropout > 0 && training)
                {
                    using var p = Dropout.ToScalar();
                    var keep = rand(x.shape, dtype: x.dtype, device: x.device, generator: _dropoutGenerator).ge_(p);
                    x = (x * keep).Div(1 - Dropout);
                }
            }
        }
        return x;
    }
}

/// <summary>
/// A one-hidden-layer network whose hidden layer is followed by normalization: inputs → fc1 (no bias) → LayerNorm (no learned
/// scale or shift) → ReLU → fc2 → logits. Its loss is invariant to rescaling fc1's weights, L(c·W₁) = L(W₁) for every c &gt; 0
/// (up to the normalization's ε, 1e-10 here): the setting of van Laarhoven (2017), where L2 cannot regularize W₁ and instead
/// controls its norm, and with it the effective learning rate η/‖W₁‖².
/// </summary>
public sealed class NormalizedMlp : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly long _hidden;

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Creates the network with seeded initialization (as <see cref="Mlp"/>: U(−1/√fan_in, 1/√fan_in)).</summary>
    public NormalizedMlp(long inputs = 784, int hidden = 64, long outputs = 10, long seed = 0, ScalarType dtype = ScalarType.Float32)
        : base(nameof(NormalizedMlp))
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input.");
        if (hidden < 2) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Normalization needs at least two hidden units.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Need at least one output.");
        (InputFeatures, _hidden) = (inputs, hidden);
        _fc1 = nn.Linear(inputs, hidden, hasBias: false, dtype: dtype);
        _fc2 = nn.Linear(hidden, outputs, dtype: dtype);
        using var gen = new Generator(Seeds.Derive(seed, "normalized-mlp-init"));
        using (NewDisposeScope())
        using (no_grad())
        {
            double b1 = 1.0 / Math.Sqrt(inputs), b2 = 1.0 / Math.Sqrt(hidden);
            using Scalar width1 = (2 * b1).ToScalar(), lower1 = b1.ToScalar();
            using Scalar width2 = (2 * b2).ToScalar(), lower2 = b2.ToScalar();
            _fc1.weight!.copy_(Mlp.Uniform(_fc1.weight!.shape, gen, width1, lower1));
            _fc2.weight!.copy_(Mlp.Uniform(_fc2.weight!.shape, gen, width2, lower2));
            _fc2.bias!.copy_(Mlp.Uniform(_fc2.bias!.shape, gen, width2, lower2));
        }
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    /// <summary>The scale-invariant hidden layer (no bias).</summary>
    public Linear Hidden => _fc1;

    /// <summary>The output layer.</summary>
    public Linear Output => _fc2;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var h = nn.functional.layer_norm(_fc1.forward(input), [_hidden], eps: 1e-10);
        return _fc2.forward(nn.functional.relu(h));
    }
}
