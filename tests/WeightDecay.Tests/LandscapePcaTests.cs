using TorchSharp;
using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Optimization;
using WeightDecay.Training;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

public class LandscapePcaTests
{
    /// <summary>Snapshots θᵢ = θₙ + aᵢu + bᵢw + cᵢz for orthonormal u, w, z on the weight entries, with mean-zero, mutually
    /// orthogonal coefficient vectors a, b, c: the principal axes are u and w, with variances Σa²/3 and Σb²/3.</summary>
    private static (List<ParameterSnapshot> Snapshots, double[] U, double[] W) KnownTrajectory(Mlp model)
    {
        using var theta = ParameterDirection.FromModel(model);
        var final = theta.Flatten();
        int P = final.Length;
        var isWeight = theta.Names.SelectMany(n => Enumerable.Repeat(theta[n].dim() >= 2, (int)theta[n].numel())).ToArray();
        var rng = new Random(5);
        double[] Gaussian() => Enumerable.Range(0, P).Select(j => isWeight[j] ? rng.NextDouble() - 0.5 : 0).ToArray();
        // Gram–Schmidt
        var basis = new List<double[]>();
        for (int k = 0; k < 3; k++)
        {
            var v = Gaussian();
            foreach (var b in basis)
            {
                double dot = v.Zip(b, (x, y) => x * y).Sum();
                for (int j = 0; j < P; j++) v[j] -= dot * b[j];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            basis.Add(v.Select(x => x / norm).ToArray());
        }
        double[] a = [2, -2, 1, -1], bb = [1, 1, -1, -1], c = [0.3, -0.3, -0.6, 0.6];
        var snapshots = new List<ParameterSnapshot>();
        for (int i = 0; i <= 4; i++)
        {
            var values = final.Select((f, j) => i == 4 ? f : f + a[i] * basis[0][j] + bb[i] * basis[1][j] + c[i] * basis[2][j]).ToArray();
            snapshots.Add(Split(theta, values, epoch: i, step: 10L * i));
        }
        return (snapshots, basis[0], basis[1]);
    }

    private static ParameterSnapshot Split(ParameterDirection layout, double[] flat, int epoch, long step)
    {
        var parts = new List<KeyValuePair<string, double[]>>();
        int offset = 0;
        foreach (var name in layout.Names)
        {
            int n = (int)layout[name].numel();
            parts.Add(new(name, flat[offset..(offset + n)]));
            offset += n;
        }
        return new ParameterSnapshot(epoch, step, parts);
    }

    [Fact]
    public void PcaRecoversKnownAxesVariancesAndPath()
    {
        using var model = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 1, dtype: ScalarType.Float64);
        var (snapshots, u, w) = KnownTrajectory(model);
        using var pca = Trajectory.Pca(snapshots, model);

        // Σa² = 10, Σb² = 4, Σc² = 0.9 over m = 4 rows: variances 10/3, 4/3; ratios 10/14.9, 4/14.9
        Assert.Equal(10.0 / 3, pca.ExplainedVariance[0], 10);
        Assert.Equal(4.0 / 3, pca.ExplainedVariance[1], 10);
        Assert.Equal(10 / 14.9, pca.ExplainedVarianceRatio[0], 10);
        Assert.Equal(4 / 14.9, pca.ExplainedVarianceRatio[1], 10);

        // signs fixed so the first snapshot has positive coordinates: X = u, Y = w exactly
        Assert.True(Shared.MaxAbs(u, pca.X.Flatten()) < 1e-10);
        Assert.True(Shared.MaxAbs(w, pca.Y.Flatten()) < 1e-10);
        Assert.Equal(1, pca.X.Norm(), 12);
        Assert.Equal(0, pca.X.Dot(pca.Y), 12);
        Assert.True(Shared.MaxAbs([2, -2, 1, -1, 0], pca.PathX) < 1e-10);
        Assert.True(Shared.MaxAbs([1, 1, -1, -1, 0], pca.PathY) < 1e-10);
        Assert.Equal([0, 1, 2, 3, 4], pca.Epochs);
        Assert.Equal(snapshots[^1].Flatten(), pca.Center.Flatten());
        var df = pca.ToDataFrame();
        Assert.Equal(["epoch", "step", "x", "y"], df.Columns.Select(c => c.Name));
        Assert.Equal(40L, df["step"][4]);
    }

    [Fact]
    public void BiasesAreLeftOutUnlessIncluded()
    {
        using var model = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 1, dtype: ScalarType.Float64);
        var (snapshots, _, _) = KnownTrajectory(model);
        // move the biases too
        var moved = snapshots.Select((s, i) => s with
        {
            Values = s.Values.Select(kv => kv.Key.EndsWith("bias") ? new KeyValuePair<string, double[]>(kv.Key, kv.Value.Select(v => v + 5.0 * i).ToArray()) : kv).ToList(),
        }).ToList();
        using var ignored = Trajectory.Pca(moved, model);
        Assert.Equal(0.0, ignored.X["fc1.bias"].abs().sum().ItemAsDouble());
        Assert.Equal(10 / 14.9, ignored.ExplainedVarianceRatio[0], 10);
        using var included = Trajectory.Pca(moved, model, includeOneDimensional: true);
        Assert.True(included.X["fc1.bias"].abs().sum().ItemAsDouble() > 0.1); // the large bias drift dominates
    }

    [Fact]
    public void TrainingPathIsDrawnOverThePlaneAroundTheFinalParameters()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 500).Select(i => (long)i * 16).ToArray());
        using var model = new Mlp(hidden: [16], seed: 2);
        var loss = new CrossEntropy();
        var h = Trainer.Fit(model, train, null, loss, new TrainerOptions
        {
            Epochs = 5, BatchSize = 50, SnapshotEveryEpochs = 1, Optimizer = new OptimizerOptions(OptimizerKind.Sgd, 0.1),
            Decay = new WeightDecayOptions(DecayMethod.Decoupled, 1e-3),
        });
        Assert.Equal(6, h.Snapshots.Count);
        using var pca = Trajectory.Pca(h.Snapshots, model);
        Assert.InRange(pca.ExplainedVarianceRatio[0], 0.3, 1.0);
        Assert.InRange(pca.ExplainedVarianceRatio.Sum(), 0, 1 + 1e-12);
        Assert.True(pca.ExplainedVarianceRatio[0] >= pca.ExplainedVarianceRatio[1]);
        Assert.Equal(0.0, pca.PathX[^1]);
        Assert.True(pca.PathX[0] >= 0 && pca.PathY[0] >= 0);

        // the plane around θₙ: its center is the trained model (also the model's current parameters)
        var slice = LossLandscape.Plane(model, pca.X, pca.Y, train, null, loss, new GridAxis(-2, 2, 5), new GridAxis(-2, 2, 5),
            new SliceOptions { Center = pca.Center });
        Assert.Equal(h.Final.TrainLoss, slice.TrainLoss[2, 2], 5);
    }

    [Fact]
    public void TooFewOrForeignSnapshotsAreRejected()
    {
        using var model = new Mlp(inputs: 6, hidden: [4], outputs: 3, seed: 1, dtype: ScalarType.Float64);
        var (snapshots, _, _) = KnownTrajectory(model);
        var e = Assert.Throws<ArgumentException>(() => Trajectory.Pca(snapshots.Take(3).ToList(), model));
        Assert.Equal("snapshots", e.ParamName);
        Assert.Contains("got 3", e.Message);
        using var other = new Mlp(inputs: 6, hidden: [5], outputs: 3, seed: 1);
        e = Assert.Throws<ArgumentException>(() => Trajectory.Pca(snapshots, other));
        Assert.Contains("'fc1.weight'", e.Message);
        Assert.Contains("[5, 6]", e.Message);
    }
}
