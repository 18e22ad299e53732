namespace WeightDecay.Optimization;

/// <summary>The shape of a <see cref="LearningRateSchedule"/>.</summary>
public enum ScheduleKind
{
    /// <summary>η_t = η₀ at every step.</summary>
    Constant,

    /// <summary>Linear warm-up, then cosine annealing (Loshchilov &amp; Hutter 2019, Appendix B.2; SGDR's cosine).
    /// </summary>
    WarmupCosine,

    /// <summary>η multiplied by a factor γ at each milestone (a step-drop schedule).</summary>
    StepDrops,
}
