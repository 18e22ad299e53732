namespace WeightDecay.Data;

/// <summary>One fold of a k-fold split: disjoint training and validation indices.</summary>
public sealed record Fold(int Index, long[] Train, long[] Validation);
