namespace WeightDecay.Landscape;

/// <summary>Progress of a slice evaluation.</summary>
/// <param name="Done">Grid points evaluated so far.</param>
/// <param name="Total">Grid points in the slice.</param>
public sealed record SliceProgress(int Done, int Total);
