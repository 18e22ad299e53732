using WeightDecay.Landscape;
using WeightDecay.Losses;
using WeightDecay.Models;
using WeightDecay.Training;
using Xunit;
using static TorchSharp.torch;

namespace WeightDecay.Tests;

/// <summary>Counts live tensors, so it runs alone (see <see cref="Serial"/>).</summary>
[Collection(nameof(Serial))]
public class LandscapeMemoryTests
{
    [Fact]
    public void SlicesSharpnessAndPcaReleaseEveryTensorTheyCreate()
    {
        using var train = Shared.Mnist.Train.Subset(Enumerable.Range(0, 300).Select(i => (long)i * 20).ToArray());
        using var model = new Mlp(hidden: [16], seed: 0);
        using var other = new Mlp(hidden: [16], seed: 1);
        var loss = new CrossEntropy();
        var (x, y) = ParameterDirection.RandomPair(model, 0);
        using (x) using (y)
        {
            var snapshots = Enumerable.Range(0, 4).Select(i => Evaluation.Snapshot(i % 2 == 0 ? model : other, i, i)).ToList();
            var axis = new GridAxis(-1, 1, 4);
            void Work()
            {
                LossLandscape.Plane(model, x, y, train, train, loss, axis, axis, new SliceOptions { Path = EvaluationPath.Batched, PointsPerPass = 3 });
                LossLandscape.Plane(model, x, y, train, null, loss, axis, axis, new SliceOptions { Path = EvaluationPath.PerPoint });
                LossLandscape.Interpolation(model, other, train, null, loss, axis);
                Sharpness.Estimate(model, train, loss, new HessianOptions { MaxIterations = 3, ComputeMinimum = true });
                using var pca = Trajectory.Pca(snapshots, model);
            }
            Work(); // warm-up: lazily created module state
            // finalize earlier tests' garbage first, so that only this work can change the count
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = Tensor.TotalCount;
            Work();
            Assert.Equal(before, Tensor.TotalCount);
        }
    }
}
