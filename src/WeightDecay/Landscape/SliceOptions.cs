namespace WeightDecay.Landscape;

/// <summary>Settings of a slice evaluation.</summary>
public sealed record SliceOptions
{
    /// <summary>Which evaluation path to use (default <see cref="EvaluationPath.Auto"/>).</summary>
    public EvaluationPath Path { get; init; } = EvaluationPath.Auto;

    /// <summary>Examples per forward pass (≥ 1).</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>Approximate bound on the working memory of one pass of the batched path (activations, loss temporaries
    /// and stacked weights of K points × R examples); K and R shrink to fit (at least 1 each). Default 64
    /// MiB.</summary>
    public long MemoryBudgetBytes { get; init; } = 64L << 20;

    /// <summary>Grid points K per pass of the batched path; null = 64. The examples per pass R are then chosen so that
    /// one pass's widest activation block [K, width, R] stays near 2 MiB (cache-sized; at least 256 examples, at most
    /// <see cref="BatchSize"/>), and both are reduced to fit <see cref="MemoryBudgetBytes"/>.</summary>
    public int? PointsPerPass { get; init; }

    /// <summary>The parameters θ the slice is centered on (θ + α·d₁ + β·d₂); null = the model's current
    /// parameters.</summary>
    public ParameterDirection? Center { get; init; }

    /// <summary>Called after every pass (batched) or point (per-point).</summary>
    public Action<SliceProgress>? Progress { get; init; }

    /// <summary>Checked between passes; cancellation throws <see cref="OperationCanceledException"/> (the model is
    /// restored).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Path))
            throw new ArgumentOutOfRangeException(nameof(Path), Path, "Expected Auto, PerPoint or Batched.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
        if (MemoryBudgetBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(MemoryBudgetBytes), MemoryBudgetBytes,
                "The memory budget must be ≥ 1 byte.");
        if (PointsPerPass is < 1)
            throw new ArgumentOutOfRangeException(nameof(PointsPerPass), PointsPerPass,
                "Points per pass must be ≥ 1 (or null for automatic).");
    }
}
