namespace WeightDecay.Landscape;

/// <summary>Settings of the Hessian eigenvalue estimates.</summary>
public sealed record HessianOptions
{
    /// <summary>Power iterations per eigenvalue (≥ 1).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Converged when the eigenvalue estimate changes by at most this fraction of its magnitude between two
    /// iterations (&gt; 0).</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Seed of the random start vectors (streams <c>hessian-power</c> and
    /// <c>hessian-power-shifted</c>).</summary>
    public long Seed { get; init; }

    /// <summary>Examples per forward pass (≥ 1); the Hessian is that of the mean loss over the whole dataset.</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>Also estimate the smallest eigenvalue (power iteration on H − λ_max·I).</summary>
    public bool ComputeMinimum { get; init; }

    /// <summary>Checked before every Hessian-vector product; cancellation throws
    /// <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "Need at least 1 iteration.");
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance,
                "The tolerance must be finite and > 0.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be ≥ 1.");
    }
}
