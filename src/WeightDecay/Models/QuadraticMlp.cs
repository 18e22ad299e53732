using TorchSharp;
using TorchSharp.Modules;
using WeightDecay.Data;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>
/// A two-layer network without biases and with a quadratic activation, f(x) = W₂ (W₁x)², the network Gromov (2023,
/// "Grokking modular arithmetic", arXiv 2301.02679) trains on modular arithmetic: inputs → <c>fc1</c> (no bias) → x² →
/// <c>fc2</c> (no bias) → logits. Both weights are drawn as PyTorch's <c>nn.Linear</c> draws them, U(−1/√fan_in,
/// 1/√fan_in) (from a generator seeded with <c>seed</c>, in float64 and cast), then multiplied by the initialization
/// scale α: a large α starts the network far from the origin, the set-up in which Liu et al. (2022, "Omnigrok", arXiv
/// 2210.01117) find grokking with weight decay on many tasks. On one-hot pairs the first layer is a lookup: the hidden
/// pre-activation of (a, b) is column a plus column p + b of W₁ (<see cref="ForwardPairs"/>).
/// </summary>
public sealed class QuadraticMlp : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <inheritdoc/>
    public long InputFeatures { get; }

    /// <summary>Hidden width N.</summary>
    public long Hidden { get; }

    /// <summary>Number of outputs (classes).</summary>
    public long Outputs { get; }

    /// <summary>The initialization scale α.</summary>
    public double InitScale { get; }

    /// <summary>Creates the network.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1, or α not finite and &gt; 0.</exception>
    public QuadraticMlp(long inputs, long hidden, long outputs, double initScale = 1, long seed = 0,
        ScalarType dtype = ScalarType.Float32) : base(nameof(QuadraticMlp))
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Need at least one input.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Need ≥ 1 hidden unit.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Need at least one output.");
        if (!(initScale > 0) || !double.IsFinite(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale,
                "The initialization scale α must be finite and > 0.");
        (InputFeatures, Hidden, Outputs, InitScale) = (inputs, hidden, outputs, initScale);
        _fc1 = nn.Linear(inputs, hidden, hasBias: false, dtype: dtype);
        _fc2 = nn.Linear(hidden, outputs, hasBias: false, dtype: dtype);
        using var gen = new Generator(Seeds.Derive(seed, "quadratic-mlp-init"));
        using var alpha = initScale.ToScalar();
        foreach (var layer in new[] { _fc1, _fc2 })
        {
            Mlp.InitializeFanIn(layer, gen);
            using (no_grad()) layer.weight!.mul_(alpha);
        }
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    /// <summary>A network for modular arithmetic mod <paramref name="modulus"/>: 2p one-hot inputs, p
    /// outputs.</summary>
    public static QuadraticMlp ForModulus(int modulus, long hidden, double initScale = 1, long seed = 0) =>
        modulus < 2 ? throw new ArgumentOutOfRangeException(nameof(modulus), modulus, "The modulus must be ≥ 2.")
            : new QuadraticMlp(2L * modulus, hidden, modulus, initScale, seed);

    /// <summary>The first layer W₁ [N, inputs].</summary>
    public Linear Fc1 => _fc1;

    /// <summary>The output layer W₂ [outputs, N].</summary>
    public Linear Fc2 => _fc2;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = _fc1.forward(input);
        return _fc2.forward(h.mul(h)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The hidden pre-activations W₁x for the one-hot encodings of int64 pairs [n, 2] (a, b) without building them:
    /// column a plus column p + b of W₁, [n, N], where p = inputs / 2. Equal to <c>Fc1.forward(OneHot(pairs))</c> up to
    /// float rounding.
    /// </summary>
    /// <exception cref="ArgumentException">Pairs that are not int64 [n, 2], or an odd number of inputs.</exception>
    public Tensor HiddenOfPairs(Tensor pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (InputFeatures % 2 != 0)
            throw new ArgumentException($"Pairs need 2p inputs; this network has {InputFeatures}.", nameof(pairs));
        if (pairs.dtype != ScalarType.Int64 || pairs.dim() != 2 || pairs.shape[1] != 2)
            throw new ArgumentException(
                $"Expected int64 pairs of shape [n, 2], got {pairs.dtype} [{string.Join(", ", pairs.shape)}].",
                nameof(pairs));
        using var scope = NewDisposeScope();
        using var p = (InputFeatures / 2).ToScalar();
        var columns = _fc1.weight!.t();
        var a = columns.index_select(0, pairs.select(1, 0));
        var b = columns.index_select(0, pairs.select(1, 1).add(p, Scalars.One));
        return a.Add(b).MoveToOuterDisposeScope();
    }

    /// <summary>Logits for int64 pairs [n, 2]: W₂ (W₁x)² with x the pairs' one-hot encodings, through
    /// <see cref="HiddenOfPairs"/>.</summary>
    public Tensor ForwardPairs(Tensor pairs)
    {
        using var scope = NewDisposeScope();
        var h = HiddenOfPairs(pairs);
        return _fc2.forward(h.mul(h)).MoveToOuterDisposeScope();
    }
}
