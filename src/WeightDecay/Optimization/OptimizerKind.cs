namespace WeightDecay.Optimization;

/// <summary>The optimizer's update rule.</summary>
public enum OptimizerKind
{
    /// <summary>SGD, optionally with momentum: b ← μb + g (b = g at the first step), θ ← θ − η·b (PyTorch's
    /// convention).</summary>
    Sgd,

    /// <summary>Adam (Kingma &amp; Ba 2015) with bias correction: θ ← θ − η·m̂/(√v̂ + ε).</summary>
    Adam,
}
