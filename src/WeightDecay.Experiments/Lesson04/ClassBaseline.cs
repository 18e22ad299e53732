using WeightDecay.Data;

namespace WeightDecay.Experiments;

/// <summary>
/// The constant classifier's scores, the reference every classification loss and accuracy is read
/// against: it predicts the training set's class frequencies p for every example, so its
/// cross-entropy on the test set is −Σ_c q_c log p_c (q: test frequencies; ≈ ln 10 for ten balanced
/// classes), and its accuracy is that of always answering the most frequent training class.
/// </summary>
/// <param name="CrossEntropy">Test cross-entropy (nats) of predicting the training frequencies.</param>
/// <param name="Accuracy">Test accuracy of always predicting the most frequent training class.</param>
/// <param name="Classes">Number of classes (uniform guessing scores 1/Classes).</param>
/// <remarks>Lesson 04: 04-the-seeds-mlp-on-mnist.</remarks>
public sealed record ClassBaseline(double CrossEntropy, double Accuracy, int Classes)
{
    /// <summary>The baseline of a classifier trained on <paramref name="train"/>, scored on
    /// <paramref name="test"/> (int64 class labels 0 … classes − 1).</summary>
    /// <exception cref="ArgumentException">A training class that never occurs (infinite
    /// loss).</exception>
    public static ClassBaseline Of(TensorDataset train, TensorDataset test, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        double[] p = Frequencies(train, classes), q = Frequencies(test, classes);
        if (p.Any(v => v == 0))
            throw new ArgumentException("Every class must occur in the training set.", nameof(train));
        int majority = Array.IndexOf(p, p.Max());
        return new ClassBaseline(-q.Zip(p, (qc, pc) => qc * Math.Log(pc)).Sum(), q[majority],
            classes);
    }

    private static double[] Frequencies(TensorDataset data, int classes)
    {
        var labels = data.Targets.data<long>().ToArray();
        if (labels.Any(l => l < 0 || l >= classes))
            throw new ArgumentException($"Labels must be in 0 … {classes - 1}.", nameof(data));
        return Enumerable.Range(0, classes).Select(c => labels.Count(l => l == c) / (double)labels.Length)
            .ToArray();
    }
}
