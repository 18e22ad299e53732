namespace WeightDecay.Experiments;

/// <summary>
/// What <see cref="SmallDataStudy.Run"/> measured: every run, and per seed the λ with the lowest
/// validation loss (λ*, chosen without looking at the test set).
/// </summary>
/// <remarks>Lesson 04: 04-the-seeds-mlp-on-mnist.</remarks>
public sealed record SmallDataResult(IReadOnlyList<SmallDataRun> Runs, IReadOnlyList<double> Lambdas,
    IReadOnlyList<int> Seeds, int TrainSize, int ValidationSize, int Epochs)
{
    /// <summary>The run of <paramref name="seed"/> at <paramref name="lambda"/>.</summary>
    public SmallDataRun Run(int seed, double lambda) =>
        Runs.Single(r => r.Seed == seed && r.Lambda == lambda);

    /// <summary>Per seed, the run whose λ has the lowest validation loss.</summary>
    public IReadOnlyList<SmallDataRun> Selected =>
        Seeds.Select(s => Runs.Where(r => r.Seed == s).MinBy(r => r.ValidationLoss)!).ToList();

    /// <summary>Per seed, the run without decay (λ = 0).</summary>
    public IReadOnlyList<SmallDataRun> Undecayed => Seeds.Select(s => Run(s, 0)).ToList();

    /// <summary>Mean and standard error (sample standard deviation / √n) of a list of values.</summary>
    public static (double Mean, double StandardError) MeanSe(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) throw new ArgumentException("Need at least two values.", nameof(values));
        var m = MeanError.Of(values);
        return (m.Mean, m.Error);
    }

    /// <summary>Mean ± standard error over seeds of a metric of the runs at <paramref name="lambda"/>.</summary>
    public (double Mean, double StandardError) At(double lambda, Func<SmallDataRun, double> metric) =>
        MeanSe(Seeds.Select(s => metric(Run(s, lambda))).ToList());

    /// <summary>Per seed, the metric of the selected run (λ*) minus that of λ = 0.</summary>
    public IReadOnlyList<double> SelectedMinusUndecayed(Func<SmallDataRun, double> metric) =>
        Selected.Zip(Undecayed, (a, b) => metric(a) - metric(b)).ToList();
}
