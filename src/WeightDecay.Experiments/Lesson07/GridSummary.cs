namespace WeightDecay.Experiments;

/// <summary>One grid's summary row (<see cref="HyperparameterGrid.Summary"/>).</summary>
/// <param name="Label">The grid's label.</param>
/// <param name="Convention">What λ means: the L2 coefficient, or the decoupled step with or without η.</param>
/// <param name="BestLearningRate">η of the best cell.</param>
/// <param name="BestLambda">λ of the best cell, in the grid's convention.</param>
/// <param name="BestTestLoss">Its test loss.</param>
/// <param name="BestTestAccuracy">Its test accuracy.</param>
/// <param name="EdgeSlope">The slope of the good region's upper edge (<see cref="GridResult.EdgeSlope"/>) in the grid's
/// convention.</param>
/// <param name="EdgeSlopePaper">The same slope in Loshchilov &amp; Hutter's convention, where decoupled decay is θ ← θ
/// − λθ (λ not multiplied by η): EdgeSlope + 1 for decoupled decay run in PyTorch's form; unchanged otherwise.</param>
/// <remarks>Lesson 07: 07-l2-is-not-weight-decay-for-adam.</remarks>
public sealed record GridSummary(string Label, string Convention, double BestLearningRate, double BestLambda,
    double BestTestLoss, double BestTestAccuracy, double EdgeSlope, double EdgeSlopePaper);
