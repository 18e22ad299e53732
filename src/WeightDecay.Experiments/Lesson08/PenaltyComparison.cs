using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Lesson 08, section 3: the MLP trained with proximal L1, proximal elastic net (α = 0.5), proximal L2 and the L1
/// subgradient step (<see cref="DecayMethod.Coupled"/>) at each λ, keeping the first layer's weights, their zeros and
/// the test accuracy.
/// </summary>
/// <remarks>Lesson 08: 08-choosing-lambda-and-the-alternatives.</remarks>
public static class PenaltyComparison
{
    /// <summary>The four penalties, in the lesson's order.</summary>
    public static IReadOnlyList<(string Name, Regularizer Regularizer, DecayMethod Method)> Penalties { get; } =
    [
        ("L1 (proximal)", Regularizer.L1, DecayMethod.Proximal),
        ("elastic net α = 0.5 (proximal)", Regularizer.ElasticNet(0.5), DecayMethod.Proximal),
        ("L2 (proximal)", Regularizer.L2, DecayMethod.Proximal),
        ("L1 (subgradient)", Regularizer.L1, DecayMethod.Coupled),
    ];

    /// <summary>Trains every penalty at every λ with the recipe; keyed by (penalty name, λ).</summary>
    public static IReadOnlyDictionary<(string Name, double Lambda), PenaltyRun> Run(TrainingRecipe<Mlp> recipe,
        IReadOnlyList<double> lambdas, double tolerance = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(lambdas);
        var result = new Dictionary<(string, double), PenaltyRun>();
        foreach (var lambda in lambdas)
            foreach (var (name, reg, method) in Penalties)
            {
                using var run = recipe.FitModel(new WeightDecayOptions(method, lambda, reg));
                var (model, history) = run;
                var w = FirstLayer(model);
                result[(name, lambda)] = new PenaltyRun(Sparsity.Of(w, tolerance),
                    history.Final.TestAccuracy ?? double.NaN, w);
            }
        return result;
    }

    /// <summary>The first layer's weights of an MLP, flattened, as float64.</summary>
    public static double[] FirstLayer(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        return model.Layers[0].weight!.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }
}
