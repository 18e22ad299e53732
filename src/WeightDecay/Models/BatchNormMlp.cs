using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>
/// A one-hidden-layer network with batch normalization after a bias-free linear layer: inputs → fc1 (no bias) →
/// <see cref="BatchNormalization"/> (PyTorch's BatchNorm1d; ε = 1e-5; learned scale γ and shift β when
/// <c>affine</c>) → ReLU → fc2 → logits. In training mode (batch statistics) its loss is invariant to rescaling
/// fc1's weights, L(c·W₁) = L(W₁) for every c &gt; 0, up to BatchNorm's ε: weight decay on W₁ cannot change the
/// function, only ‖W₁‖ and with it the effective learning rate η/‖W₁‖² (van Laarhoven 2017). Used by lesson 10;
/// <see cref="NormalizedMlp"/> is the LayerNorm variant.
/// </summary>
public sealed class BatchNormMlp : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly Linear _fc1;
    private readonly BatchNormalization _norm;
    private readonly Linear _fc2;

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Creates the network with seeded initialization (as <see cref="Mlp"/>: U(−1/√fan_in, 1/√fan_in) for
    /// the linear layers; BatchNorm's γ = 1, β = 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size below its minimum.</exception>
    public BatchNormMlp(long inputs = 784, int hidden = 128, long outputs = 10, bool affine = false, long seed = 0,
        ScalarType dtype = ScalarType.Float32)
        : base(nameof(BatchNormMlp))
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Need at least one unit.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Need at least one output.");
        InputFeatures = inputs;
        _fc1 = nn.Linear(inputs, hidden, hasBias: false, dtype: dtype);
        _norm = new BatchNormalization(hidden, affine, eps: 1e-5, dtype: dtype);
        _fc2 = nn.Linear(hidden, outputs, dtype: dtype);
        using var gen = new Generator(Seeds.Derive(seed, "batchnorm-mlp-init"));
        Mlp.InitializeFanIn(_fc1, gen); // U(±1/√fan_in) as Mlp: fc1.weight, then fc2.weight and fc2.bias
        Mlp.InitializeFanIn(_fc2, gen);
        register_module("fc1", _fc1);
        register_module("norm", _norm);
        register_module("fc2", _fc2);
    }

    /// <summary>The scale-invariant hidden layer (no bias).</summary>
    public Linear Hidden => _fc1;

    /// <summary>The batch normalization after <see cref="Hidden"/>.</summary>
    public BatchNormalization Norm => _norm;

    /// <summary>The output layer.</summary>
    public Linear Output => _fc2;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) =>
        _fc2.forward(nn.functional.relu(_norm.forward(_fc1.forward(input))));
}
