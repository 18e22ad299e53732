using static TorchSharp.torch;

namespace WeightDecay.Regularization;

/// <summary>A penalty R(θ) on one parameter tensor, with its (sub)gradient. Weight decay scales it by λ.</summary>
public abstract class Regularizer
{
    /// <summary>Short name used in tables.</summary>
    public abstract string Name { get; }

    /// <summary>R(θ) as a differentiable scalar tensor.</summary>
    public abstract Tensor Value(Tensor theta);

    /// <summary>∂R/∂θ (a subgradient where R is not differentiable), same shape as θ.</summary>
    public abstract Tensor Gradient(Tensor theta);

    /// <summary>Σ R(θ) over several tensors (0 for none).</summary>
    public Tensor Total(IEnumerable<Tensor> thetas)
    {
        Tensor? sum = null;
        foreach (var t in thetas) sum = sum is null ? Value(t) : sum.Add(Value(t));
        return sum ?? tensor(0.0);
    }

    /// <summary>The L2 penalty ½‖θ‖²: gradient θ, so λ·R contributes λθ (d2l's convention).</summary>
    public static Regularizer L2 { get; } = new L2Regularizer();

    /// <summary>The L1 penalty ‖θ‖₁: subgradient sign(θ), with sign(0) = 0.</summary>
    public static Regularizer L1 { get; } = new L1Regularizer();

    /// <summary>Elastic net α‖θ‖₁ + (1 − α)·½‖θ‖² with mixing α ∈ [0, 1] (α = 1 is L1, α = 0 is L2).</summary>
    public static Regularizer ElasticNet(double l1Ratio) => new ElasticNetRegularizer(l1Ratio);

    private sealed class L2Regularizer : Regularizer
    {
        public override string Name => "l2";
        public override Tensor Value(Tensor theta) => theta.Square().sum().Mul(0.5);
        public override Tensor Gradient(Tensor theta) => theta.clone();
    }

    private sealed class L1Regularizer : Regularizer
    {
        public override string Name => "l1";
        public override Tensor Value(Tensor theta) => theta.abs().sum();
        public override Tensor Gradient(Tensor theta) => theta.sign();
    }

    private sealed class ElasticNetRegularizer : Regularizer
    {
        private readonly double _alpha;

        public ElasticNetRegularizer(double alpha)
        {
            if (!(alpha >= 0 && alpha <= 1))
                throw new ArgumentOutOfRangeException(nameof(alpha), alpha,
                    "The elastic-net mixing α must be in [0, 1].");
            _alpha = alpha;
        }

        public override string Name =>
            $"elastic_net({_alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        public override Tensor Value(Tensor theta) =>
            theta.abs().sum().Mul(_alpha).Add(theta.Square().sum().Mul(0.5 * (1 - _alpha)));
        public override Tensor Gradient(Tensor theta) => theta.sign().Mul(_alpha).Add(theta.Mul(1 - _alpha));
    }
}
