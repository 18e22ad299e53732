using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

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
            InitializeFanIn(layer, gen);
            _layers.Add(layer);
            register_module($"fc{i + 1}", layer);
        }
        _dropoutGenerator = new Generator(Seeds.Derive(seed, "mlp-dropout"));
    }

    /// <summary>Fills <paramref name="layer"/>'s weight, then its bias if it has one, with U(−1/√fan_in, 1/√fan_in)
    /// drawn in float64 from <paramref name="gen"/> and cast: the same seed gives the same layer for any
    /// dtype.</summary>
    internal static void InitializeFanIn(Linear layer, Generator gen)
    {
        double bound = 1.0 / Math.Sqrt(layer.weight!.shape[1]);
        using var width = (2 * bound).ToScalar();
        using var lower = bound.ToScalar();
        using (NewDisposeScope())
        using (no_grad())
        {
            layer.weight!.copy_(Uniform(layer.weight!.shape, gen, width, lower));
            if (layer.bias is { } bias) bias.copy_(Uniform(bias.shape, gen, width, lower));
        }
    }

    /// <summary>Uniform float64 values rand·width − lower from <paramref name="gen"/> (width = 2b, lower = b: U(−b,
    /// b)).</summary>
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
