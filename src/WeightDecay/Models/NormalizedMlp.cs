using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>
/// A one-hidden-layer network whose hidden layer is followed by normalization: inputs → fc1 (no bias) → LayerNorm (no
/// learned scale or shift) → ReLU → fc2 → logits. Its loss is invariant to rescaling fc1's weights, L(c·W₁) = L(W₁) for
/// every c &gt; 0 (up to the normalization's ε, 1e-10 here): the setting of van Laarhoven (2017), where L2 cannot
/// regularize W₁ and instead controls its norm, and with it the effective learning rate η/‖W₁‖².
/// </summary>
public sealed class NormalizedMlp : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly long _hidden;

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Creates the network with seeded initialization (as <see cref="Mlp"/>: U(−1/√fan_in,
    /// 1/√fan_in)).</summary>
    public NormalizedMlp(long inputs = 784, int hidden = 64, long outputs = 10, long seed = 0,
        ScalarType dtype = ScalarType.Float32)
        : base(nameof(NormalizedMlp))
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input.");
        if (hidden < 2)
            throw new ArgumentOutOfRangeException(nameof(hidden), hidden,
                "Normalization needs at least two hidden units.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Need at least one output.");
        (InputFeatures, _hidden) = (inputs, hidden);
        _fc1 = nn.Linear(inputs, hidden, hasBias: false, dtype: dtype);
        _fc2 = nn.Linear(hidden, outputs, dtype: dtype);
        using var gen = new Generator(Seeds.Derive(seed, "normalized-mlp-init"));
        Mlp.InitializeFanIn(_fc1, gen); // U(±1/√fan_in) as Mlp: fc1.weight, then fc2.weight and fc2.bias
        Mlp.InitializeFanIn(_fc2, gen);
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
