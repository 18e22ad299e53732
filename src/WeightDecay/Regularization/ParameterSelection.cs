using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WeightDecay.Regularization;

/// <summary>Selects the parameters a decay applies to.</summary>
public static class ParameterSelection
{
    /// <summary>Whether a parameter of this shape is decayed under <paramref name="selection"/>.</summary>
    public static bool IsDecayed(Tensor parameter, DecaySelection selection) =>
        selection == DecaySelection.All || parameter.dim() >= 2;

    /// <summary>The named parameters of <paramref name="module"/> that require gradients, in registration
    /// order.</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> Trainable(TorchSharp.torch.nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
}
