using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using WeightDecay.Data;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Regularization;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Experiments;

/// <summary>
/// Trains one <see cref="QuadraticMlp"/> per seed on modular addition (<see cref="GrokkingSettings"/>), all at once:
/// seed k's split (<see cref="ModularAddition.Create"/>) and initial weights (<see cref="QuadraticMlp.ForModulus"/>)
/// are its own; the K networks' weights are stacked on a leading dimension and trained with one
/// <see cref="WeightDecayOptimizer"/> (Adam, decoupled decay) on the sum of their mean cross-entropies. Adam and the
/// decay act coordinate by coordinate and network k's loss depends only on its own weights, so each network follows
/// the trajectory it would follow alone (up to float summation order), at the cost of one batched step for all.
/// </summary>
/// <remarks>Lesson 12: 12-grokking.</remarks>
public static class GrokkingTraining
{
    /// <summary>Trains one network per seed in <paramref name="seeds"/> and returns their records in that
    /// order.</summary>
    /// <exception cref="ArgumentException">Invalid settings, no seeds, or a negative seed.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static IReadOnlyList<GrokkingRun> Run(GrokkingSettings settings, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(seeds);
        settings.Validate();
        if (seeds.Count == 0) throw new ArgumentException("Need at least one seed.", nameof(seeds));
        foreach (var s in seeds)
            if (s < 0) throw new ArgumentOutOfRangeException(nameof(seeds), s, "Seeds must be ≥ 0.");
        RaiseAllocatorThresholds();
        return seeds.Chunk(MaxStacked).SelectMany(chunk => RunStacked(settings, chunk)).ToList();
    }

    private static int _thresholdsRaised;

    /// <summary>
    /// Once per process, allocates and frees one 16 MB tensor. glibc serves blocks above its mmap threshold (128 KB
    /// at start) with mmap and returns them with munmap; freeing such a block raises the threshold to the block's size
    /// and the heap's trim threshold to twice that (glibc's dynamic threshold, mallopt(3), M_MMAP_THRESHOLD). Without
    /// it each step's ~1.5 MB activations were mapped, zero-filled page by page and unmapped again: a test process
    /// training 14,000 network-steps (20 seeds × 700) used 29.0 s user + 10.3 s system CPU, and 12.8 s + 1.2 s with
    /// this (14.8 s + 1.6 s with MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ set instead), results identical; ≈ 5 s
    /// of each is the test host. Any earlier free of a block that large has the same effect, which is why the cost
    /// depended on what the process had done before.
    /// </summary>
    private static void RaiseAllocatorThresholds()
    {
        if (Interlocked.Exchange(ref _thresholdsRaised, 1) == 1) return;
        using var block = empty(4L << 20, dtype: ScalarType.Float32);
    }

    /// <summary>At most this many networks are stacked in one batched step (measured before
    /// <see cref="RaiseAllocatorThresholds"/> existed: 20 stacked networks cost ~2× more per network-step than 5,
    /// probably the allocator's page faults as much as the cache; not re-measured since).</summary>
    public const int MaxStacked = 5;

    private static IReadOnlyList<GrokkingRun> RunStacked(GrokkingSettings settings, IReadOnlyList<int> seeds)
    {
        // one intra-op thread: small tensors, and on a busy machine two threads stall (TorchThreads)
        using var threads = TorchThreads.Limit(1);
        using var scope = NewDisposeScope();
        int p = settings.Modulus, k = seeds.Count;
        var (pairs, labels, trainMask, nTrain) = Stack(settings, seeds);
        var (w1, w2) = InitialWeights(settings, seeds);
        var adam = new OptimizerOptions(OptimizerKind.Adam, settings.LearningRate, 0, 0.9, settings.Beta2);
        using var optimizer = new WeightDecayOptimizer([("fc1.weight", w1), ("fc2.weight", w2)], adam,
            WeightDecayOptions.For(DecayMethod.Decoupled, settings.Lambda, selection: DecaySelection.All));
        // all p² pairs, for evaluation; the training pairs of network j as rows of [K·n]
        var all = AllPairs(p);
        using var pairCount = ((long)p * p).ToScalar();
        var trainIndex = trainMask.nonzero().select(1, 1).reshape(k, nTrain)
            .add(Models(k).mul(pairCount).unsqueeze(1), Scalars.One).reshape(-1);
        var trainPairs = all.repeat(k, 1).index_select(0, trainIndex).reshape(k, nTrain, 2);
        var trainLabels = labels.repeat(k).index_select(0, trainIndex);
        var records = Enumerable.Range(0, k).Select(_ => (Steps: new List<double>(), Train: new List<double>(),
            Test: new List<double>(), Norm: new List<double>())).ToList();
        void Record(int step)
        {
            using var s = NewDisposeScope();
            using var noGrad = no_grad();
            var correct = Logits(w1, w2, all.unsqueeze(0).expand(k, -1, -1), p).argmax(-1).eq(labels);
            var train = correct.logical_and(trainMask).sum(1).to_type(ScalarType.Float64).Div(nTrain);
            var test = correct.logical_and(trainMask.logical_not()).sum(1).to_type(ScalarType.Float64)
                .Div(p * p - nTrain);
            var norm = w1.Square().sum([1, 2]).add(w2.Square().sum([1, 2]), Scalars.One).sqrt()
                .to_type(ScalarType.Float64);
            var (tr, te, nm) = (train.data<double>().ToArray(), test.data<double>().ToArray(),
                norm.data<double>().ToArray());
            for (int j = 0; j < k; j++)
            {
                records[j].Steps.Add(step);
                records[j].Train.Add(tr[j]);
                records[j].Test.Add(te[j]);
                records[j].Norm.Add(nm[j]);
            }
        }
        Record(0);
        using var perModel = (1.0 / nTrain).ToScalar();
        for (int t = 1; t <= settings.Steps; t++)
        {
            using var s = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(Logits(w1, w2, trainPairs, p).reshape(-1, p), trainLabels,
                reduction: nn.Reduction.Sum).mul(perModel);
            loss.backward();
            optimizer.step();
            if (t % settings.EvalEvery == 0 || t == settings.Steps)
            {
                double value = loss.ItemAsDouble();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException(1, t, settings.LearningRate, settings.Lambda, value);
                Record(t);
            }
        }
        return Enumerable.Range(0, k).Select(j => new GrokkingRun(settings, seeds[j], records[j].Steps,
            records[j].Train, records[j].Test, records[j].Norm)).ToList();
    }

    /// <summary>Trains one network (seed <paramref name="seed"/>).</summary>
    public static GrokkingRun Run(GrokkingSettings settings, int seed) => Run(settings, [seed])[0];

    /// <summary>Logits [K, n, p] of the stacked networks W₁ [K, N, 2p], W₂ [K, p, N] on pairs [K, n, 2]:
    /// W₂ (column a + column p + b of W₁)², network by network.</summary>
    private static Tensor Logits(Tensor w1, Tensor w2, Tensor pairs, int p)
    {
        long k = w1.shape[0], n = pairs.shape[1], width = w1.shape[1];
        using var offsetModel = (2L * p).ToScalar();
        using var shift = ((long)p).ToScalar();
        // row index into W₁ᵀ stacked as [K·2p, N]
        var baseRow = Models(k).mul(offsetModel).unsqueeze(1);
        var rowsA = pairs.select(2, 0).add(baseRow, Scalars.One).reshape(-1);
        var rowsB = pairs.select(2, 1).add(baseRow, Scalars.One).add(shift, Scalars.One).reshape(-1);
        var columns = w1.transpose(1, 2).reshape(k * 2 * p, width);
        var h = columns.index_select(0, rowsA).Add(columns.index_select(0, rowsB)).reshape(k, n, width);
        return h.mul(h).bmm(w2.transpose(1, 2));
    }

    /// <summary>0, 1, …, K − 1 as int64.</summary>
    private static Tensor Models(long k) => tensor(Enumerable.Range(0, (int)k).Select(i => (long)i).ToArray());

    private static Tensor AllPairs(int p)
    {
        var values = new long[2 * p * p];
        for (int i = 0; i < p * p; i++) (values[2 * i], values[2 * i + 1]) = (i / p, i % p);
        return tensor(values, [p * p, 2]);
    }

    /// <summary>Labels of all p² pairs [p²] and, per seed, which pairs are training pairs [K, p²].</summary>
    private static (Tensor Pairs, Tensor Labels, Tensor TrainMask, long TrainCount) Stack(GrokkingSettings settings,
        IReadOnlyList<int> seeds)
    {
        int p = settings.Modulus;
        var mask = new bool[seeds.Count * p * p];
        long count = 0;
        for (int j = 0; j < seeds.Count; j++)
        {
            using var data = ModularAddition.Create(p, settings.TrainFraction, seeds[j]);
            foreach (var i in data.TrainIndices) mask[j * p * p + i] = true;
            count = data.TrainIndices.Count;
        }
        var labels = new long[p * p];
        for (int i = 0; i < p * p; i++) labels[i] = (i / p + i % p) % p;
        return (AllPairs(p), tensor(labels), tensor(mask, [seeds.Count, p * p]), count);
    }

    /// <summary>Each seed's <see cref="QuadraticMlp"/> initial weights, stacked: W₁ [K, N, 2p], W₂ [K, p, N], as
    /// leaf parameters owned by the caller's dispose scope.</summary>
    private static (Parameter W1, Parameter W2) InitialWeights(GrokkingSettings settings, IReadOnlyList<int> seeds)
    {
        var (first, second) = (new List<Tensor>(), new List<Tensor>());
        foreach (var s in seeds)
        {
            using var model = QuadraticMlp.ForModulus(settings.Modulus, settings.Width, settings.InitScale, s);
            first.Add(model.Fc1.weight!.detach().clone());
            second.Add(model.Fc2.weight!.detach().clone());
        }
        return (new Parameter(stack(first)), new Parameter(stack(second)));
    }
}
