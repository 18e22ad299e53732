namespace WeightDecay.Optimization;

/// <summary>How weight decay enters training. Each method is explicit so that experiments can compare them.</summary>
public enum DecayMethod
{
    /// <summary>No decay (λ must be 0: a λ &gt; 0 that silently does nothing is the bug this enum exists to
    /// prevent).</summary>
    None,

    /// <summary>Penalty in the loss: L'(θ) = L(θ) + λ·R(θ), differentiated by autograd
    /// (<see cref="WeightDecayOptimizer.Objective"/> adds the term).</summary>
    Penalty,

    /// <summary>Coupled: λ·∇R(θ) (λθ for L2) added to the gradient before the optimizer's update, so it passes through
    /// momentum and Adam's normalization. What <c>optim.SGD/Adam(weight_decay:)</c> do.</summary>
    Coupled,

    /// <summary>Decoupled (SGDW, AdamW; Loshchilov &amp; Hutter 2019): θ ← θ − η·λ·∇R(θ) applied to the parameters
    /// directly, outside the adaptive step, using the pre-step θ. η is the learning rate unless
    /// <see cref="WeightDecayOptions.DecoupledScalesWithLearningRate"/> is false.</summary>
    Decoupled,

    /// <summary>Proximal: after the optimizer's data step, θ ← prox_{ηλR}(θ) (<see cref="Regularization.Proximal"/>).
    /// For L1 this is soft-thresholding, which sets small weights exactly to zero; for L2 it is θ/(1 + ηλ).</summary>
    Proximal,
}
