using TorchSharp;
using WeightDecay.Data;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>Evaluates grid points by the per-point reference path or the batched Mlp path.</summary>
internal static class GridEvaluation
{
    public static bool BatchedSupports(nn.Module<Tensor, Tensor> model, Loss loss) =>
        model is Mlp mlp && loss is CrossEntropy or HalfSquaredError
        && mlp.parameters().All(p => p.requires_grad) && mlp.Layers.All(l => l.bias is not null);

    public static EvaluationPath Resolve(nn.Module<Tensor, Tensor> model, Loss loss, EvaluationPath requested)
    {
        if (requested == EvaluationPath.PerPoint) return EvaluationPath.PerPoint;
        bool supported = BatchedSupports(model, loss);
        if (requested == EvaluationPath.Batched && !supported)
            throw new ArgumentException(
                "The batched path needs an Mlp (all parameters trainable) with CrossEntropy or HalfSquaredError; got " +
                $"{model.GetType().Name} with {loss.GetType().Name}. Use EvaluationPath.Auto or PerPoint.", "options");
        return supported ? EvaluationPath.Batched : EvaluationPath.PerPoint;
    }

    /// <summary>Evaluates every point on each dataset, then restores the model. Non-finite losses become NaN (and the
    /// accuracy of that set at that point too).</summary>
    public static (GridMetrics Train, GridMetrics? Test) Run(nn.Module<Tensor, Tensor> model, GridSpec grid,
        TensorDataset train, TensorDataset? test, Loss loss, SliceOptions options)
    {
        var path = Resolve(model, loss, options.Path);
        var sets = test is null ? new[] { train } : [train, test];
        var metrics =
            sets.Select(_ =>
            new GridMetrics(new double[grid.Count], loss.IsClassification ? new double[grid.Count] : null)).ToArray();
        if (path == EvaluationPath.Batched) RunBatched((Mlp)model, grid, sets, metrics, loss, options);
        else RunPerPoint(model, grid, sets, metrics, loss, options);
        foreach (var m in metrics)
            for (int k = 0; k < grid.Count; k++)
                if (!double.IsFinite(m.Loss[k]))
                {
                    m.Loss[k] = double.NaN;
                    if (m.Accuracy is not null) m.Accuracy[k] = double.NaN;
                }
        return (metrics[0], test is null ? null : metrics[1]);
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Reference: one point per forward pass, through the model's own forward
    // -----------------------------------------------------------------------------------------------------------------

    private static void RunPerPoint(nn.Module<Tensor, Tensor> model, GridSpec grid, TensorDataset[] sets,
        GridMetrics[] metrics, Loss loss, SliceOptions options)
    {
        var ps = ParameterDirection.Trainable(model);
        Tensor[] saved;
        using (no_grad())
        using (NewDisposeScope())
            saved = ps.Select(p => p.Parameter.detach().clone().DetachFromDisposeScope()).ToArray();
        try
        {
            for (int k = 0; k < grid.Count; k++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                using (NewDisposeScope())
                using (no_grad())
                    for (int i = 0; i < ps.Count; i++)
                        ps[i].Parameter.copy_(Point(grid, i, k));
                for (int s = 0; s < sets.Length; s++)
                {
                    var (l, acc) = Evaluation.Evaluate(model, sets[s], loss, options.BatchSize);
                    metrics[s].Loss[k] = l;
                    if (metrics[s].Accuracy is not null) metrics[s].Accuracy![k] = acc ?? double.NaN;
                }
                options.Progress?.Invoke(new SliceProgress(k + 1, grid.Count));
            }
        }
        finally
        {
            using (no_grad())
                for (int i = 0; i < ps.Count; i++)
                    ps[i].Parameter.copy_(saved[i]);
            foreach (var t in saved) t.Dispose();
        }
    }

    /// <summary>θ of parameter <paramref name="i"/> at point <paramref name="k"/>, in float64: (c + a·d₁) +
    /// b·d₂.</summary>
    private static Tensor Point(GridSpec grid, int i, int k)
    {
        var t = grid.Center.Tensors[i].Add(grid.D1.Tensors[i].Mul(grid.A[k]));
        if (grid.D2 is not null) t = t.Add(grid.D2.Tensors[i].Mul(grid.B![k]));
        return t;
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Batched Mlp path
    // -----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// One batch of n examples with the first layer's pre-activations precomputed per direction, stacked as
    /// P = [P₀; P₁; (P₂)] with Pᵢ = (X·Wᵢᵀ + bᵢ)ᵀ flattened to [hidden·n] (W₀, b₀ the center's first layer, W₁, b₁ and
    /// W₂, b₂ the directions'): the first layer at grid point (a, b) is then Z₁ = P₀ + a·P₁ + b·P₂, for K points one
    /// GEMM [K, 3]·[3, hidden·n]. Y holds the targets as [1, 1, n] (class indices) or [1, n] (regression).
    /// </summary>
    private sealed record PreparedBatch(Tensor P, Tensor Y, long N) : IDisposable
    {
        public void Dispose()
        {
            P.Dispose();
            Y.Dispose();
        }
    }

    /// <summary>Points per pass of the batched path when <see cref="SliceOptions.PointsPerPass"/> is null.</summary>
    internal const int DefaultPointsPerPass = 64;

    /// <summary>Target size of one pass's largest activation block [K, width, rows]: small enough to stay in
    /// cache.</summary>
    internal const long CacheBlockBytes = 2L << 20;

    /// <summary>
    /// The pass shape of the batched path: K grid points × R examples. K is <see cref="SliceOptions.PointsPerPass"/>
    /// (default <see cref="DefaultPointsPerPass"/>); R keeps the widest activation block K·R·width within
    /// <see cref="CacheBlockBytes"/> (at least 256 examples, at most <see cref="SliceOptions.BatchSize"/>); then both
    /// shrink until the pass's working memory (activations, loss temporaries, stacked float64 weights) fits
    /// <see cref="SliceOptions.MemoryBudgetBytes"/>.
    /// </summary>
    internal static (int Points, int Rows) BatchedShape(Mlp mlp, ScalarType dtype, int points, long examples,
        SliceOptions options)
    {
        long es = dtype == ScalarType.Float64 ? 8 : 4;
        long width = Math.Max(mlp.HiddenSizes.Max(), mlp.Outputs);
        long perPointRow = es * (mlp.HiddenSizes.Sum(h => (long)h) + 4 * mlp.Outputs);
        long perPointWeights = 0;
        for (int l = 1; l < mlp.Layers.Count; l++)
            perPointWeights += (mlp.Layers[l].weight!.numel() + mlp.Layers[l].bias!.numel()) * (8 * 3 + es);
        long k = Math.Min(options.PointsPerPass ?? DefaultPointsPerPass, points);
        long rows = Math.Min(options.BatchSize, Math.Min(examples, Math.Max(256, CacheBlockBytes / (k * width * es))));
        while (k * (rows * perPointRow + perPointWeights) > options.MemoryBudgetBytes && (k > 1 || rows > 1))
        {
            if (rows > 1 && (k == 1 || rows * perPointRow >= perPointWeights)) rows = Math.Max(1, rows / 2);
            else k = Math.Max(1, k / 2);
        }
        return ((int)k, (int)rows);
    }

    private static void RunBatched(Mlp mlp, GridSpec grid, TensorDataset[] sets, GridMetrics[] metrics, Loss loss,
        SliceOptions options)
    {
        var layers = mlp.Layers;
        var dtype = layers[0].weight!.dtype;
        var device = layers[0].weight!.device;
        int L = layers.Count;
        long hidden = layers[0].weight!.shape[0];
        string W(int l) => $"fc{l + 1}.weight";
        string B(int l) => $"fc{l + 1}.bias";
        Tensor Dev(Tensor t) => t.to(device);
        var (K, rows) = BatchedShape(mlp, dtype, grid.Count, sets.Max(d => d.Count), options);

        var prepared = new List<PreparedBatch>[sets.Length];
        try
        {
            using (no_grad())
                for (int s = 0; s < sets.Length; s++)
                {
                    prepared[s] = [];
                    var data = sets[s];
                    for (long start = 0; start < data.Count; start += rows)
                    {
                        using var scope = NewDisposeScope();
                        long n = Math.Min(rows, data.Count - start);
                        var x = data.Features.narrow(0, start, n).reshape(n, mlp.InputFeatures);
                        // the first layer is linear in the grid coordinates: X·(W + a·D₁ + b·D₂)ᵀ + (c + a·e₁ + b·e₂)
                        Tensor First(ParameterDirection p) =>
                            nn.functional.linear(x, Dev(p[W(0)]).to_type(dtype), Dev(p[B(0)]).to_type(dtype)).t()
                                .reshape(1, hidden * n);
                        var parts = new List<Tensor> { First(grid.Center), First(grid.D1) };
                        if (grid.D2 is not null) parts.Add(First(grid.D2));
                        var y = data.Targets.narrow(0, start, n);
                        y = loss.IsClassification ? y.reshape(1, 1, n) : y.reshape(1, -1);
                        prepared[s].Add(new PreparedBatch(cat(parts, 0).DetachFromDisposeScope(),
                            y.clone().DetachFromDisposeScope(), n));
                    }
                }

            var sums = sets.Select(_ => new double[grid.Count]).ToArray();
            var correct = sets.Select(_ => new long[grid.Count]).ToArray();

            for (int k0 = 0; k0 < grid.Count; k0 += K)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                int kc = Math.Min(K, grid.Count - k0);
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var a64 = tensor(grid.A.AsSpan(k0, kc).ToArray(), ScalarType.Float64, device);
                var b64 = grid.B is null ? null : tensor(grid.B.AsSpan(k0, kc).ToArray(), ScalarType.Float64, device);
                // coefficients [kc, 1 + directions]: (1, a, b) per point
                var coefficients =
                    (b64 is null ? stack([ones_like(a64), a64], 1) : stack([ones_like(a64), a64, b64], 1))
                    .to_type(dtype);

                // Stacked weights [kc, out, in] and biases [kc, out, 1] of the later layers, formed in float64 exactly
                // as the per-point path forms them, then cast.
                var weights = new Tensor[L];
                var biases = new Tensor[L];
                for (int l = 1; l < L; l++)
                {
                    weights[l] = Stack(W(l), a64.view(kc, 1, 1), b64?.view(kc, 1, 1)).to_type(dtype);
                    biases[l] = Stack(B(l), a64.view(kc, 1), b64?.view(kc, 1)).to_type(dtype).unsqueeze(2);
                }

                for (int s = 0; s < sets.Length; s++)
                    foreach (var batch in prepared[s])
                    {
                        using var inner = NewDisposeScope();
                        // [kc, hidden, n]: features-major, so that every later layer is a plain bmm and the loss
                        // reduces over a leading dimension (vectorized across examples)
                        var h = coefficients.mm(batch.P).view(kc, hidden, batch.N);
                        for (int l = 1; l < L; l++)
                        {
                            h = h.relu_();
                            // bmm + add_ rather than torch.baddbmm: TorchSharp 0.107's static baddbmm passes its
                            // arguments to libtorch in the wrong order (input is taken as batch1)
                            h = weights[l].bmm(h).Add_(biases[l]); // [kc, out_l, n]
                        }
                        AccumulateLoss(h, batch, loss, sums[s], correct[s], k0, kc);
                    }
                options.Progress?.Invoke(new SliceProgress(k0 + kc, grid.Count));
            }

            for (int s = 0; s < sets.Length; s++)
            {
                double denominator = loss.IsClassification ? sets[s].Count : sets[s].Targets.numel();
                for (int k = 0; k < grid.Count; k++)
                {
                    metrics[s].Loss[k] = sums[s][k] / denominator;
                    if (metrics[s].Accuracy is not null)
                        metrics[s].Accuracy![k] = (double)correct[s][k] / sets[s].Count;
                }
            }
        }
        finally
        {
            foreach (var list in prepared)
                if (list is not null)
                    foreach (var p in list) p.Dispose();
        }

        Tensor Stack(string name, Tensor a, Tensor? b)
        {
            var t = Dev(grid.Center[name]).unsqueeze(0).Add(Dev(grid.D1[name]).unsqueeze(0) * a);
            if (b is not null) t = t.Add(Dev(grid.D2![name]).unsqueeze(0) * b);
            return t;
        }
    }

    /// <summary>Adds each point's summed loss (and correct count) over the batch; <paramref name="output"/> is [kc,
    /// out, n].</summary>
    private static void AccumulateLoss(Tensor output, PreparedBatch batch, Loss loss, double[] sums, long[] correct,
        int k0, int kc)
    {
        if (loss is CrossEntropy)
        {
            // per-example loss −log softmax(z)_y (what cross_entropy computes), summed per point in float64
            var y = batch.Y.expand(kc, 1, batch.N);
            var lossSums =
                output.log_softmax(1).gather(1, y).to_type(ScalarType.Float64).sum([1, 2]).neg_().cpu().data<double>()
                .ToArray();
            // correct when z_y is the maximum and no earlier class attains it (argmax's first-index rule, without
            // argmax over a leading dimension, which is slow on CPU); ties are rare, so the earlier-class check runs
            // only when one occurs
            var max = output.amax([1], keepdim: true);
            var top = output.gather(1, y).eq(max);
            var maxima = output.eq(max);
            if (maxima.sum().ItemAsInt64() > kc * batch.N) // more maxima than examples: some example has a tie
            {
                using var classes = output.shape[1].ToScalar();
                var earlier = arange(Scalars.Zero, classes, Scalars.One, device: output.device)
                    .view(1, -1, 1).lt(batch.Y);
                top = top.logical_and(maxima.logical_and(earlier).any(1, keepdim: true).logical_not());
            }
            var counts = top.sum([1, 2]).cpu().data<long>().ToArray();
            for (int k = 0; k < kc; k++)
            {
                sums[k0 + k] += lossSums[k];
                correct[k0 + k] += counts[k];
            }
        }
        else
        {
            // ½ Σ (ŷ − y)² over the batch's values, per point (one output per example)
            var diff = output.reshape(kc, -1) - batch.Y;
            using var half = 0.5.ToScalar();
            var lossSums = diff.Square().to_type(ScalarType.Float64).sum(1).mul_(half).cpu().data<double>().ToArray();
            for (int k = 0; k < kc; k++) sums[k0 + k] += lossSums[k];
        }
    }
}
