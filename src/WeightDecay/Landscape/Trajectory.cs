using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>Principal-component analysis of a training trajectory.</summary>
public static class Trajectory
{
    /// <summary>
    /// The top two principal directions of the matrix M whose rows are θᵢ − θₙ for every snapshot but the last (θₙ), as
    /// <c>plot_trajectory.py</c> of tomgoldstein/loss-landscape does with scikit-learn's PCA: the rows are centered
    /// (their mean subtracted) before the SVD, explained variances are σᵢ²/(m − 1) and their ratios σᵢ²/Σσⱼ². The path
    /// coordinates are projections of the uncentered θᵢ − θₙ, so θₙ sits at the origin. Signs are fixed so that the
    /// first snapshot has coordinates ≥ 0 (when its projection is 0, so that the largest-magnitude entry of the
    /// direction is positive).
    /// </summary>
    /// <param name="snapshots">At least 4 snapshots in training order (as recorded with
    /// <see cref="TrainerOptions.SnapshotEveryEpochs"/>): m = n − 1 ≥ 3 difference rows, so that the centered rows can
    /// span two directions.</param>
    /// <param name="model">A model of the snapshots' architecture (names and shapes of the trainable
    /// parameters).</param>
    /// <param name="includeOneDimensional">False (default) sets the entries of 1-D tensors (biases) of every difference
    /// to zero before the PCA, like the random directions' default and the reference's <c>--ignore biasbn</c>; true
    /// keeps them.</param>
    /// <exception cref="ArgumentException">Fewer than 4 snapshots, or snapshots that do not match the
    /// model.</exception>
    public static PcaTrajectory Pca(IReadOnlyList<ParameterSnapshot> snapshots, nn.Module model,
        bool includeOneDimensional = false)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(model);
        if (snapshots.Count < 4)
            throw new ArgumentException(
                "PCA of a trajectory needs at least 4 snapshots (3 differences from the final one, whose centered " +
                $"rows span two directions); got {snapshots.Count}. Take snapshots more often " +
                "(TrainerOptions.SnapshotEveryEpochs).", nameof(snapshots));
        var ps = ParameterDirection.Trainable(model);
        for (int i = 0; i < snapshots.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(snapshots[i], $"snapshots[{i}]");
            ParameterDirection.CheckSnapshot(snapshots[i], ps, nameof(snapshots));
        }

        // mask of the entries that take part (1-D tensors excluded unless requested)
        var mask =
            ps.SelectMany(p => Enumerable.Repeat(includeOneDimensional || p.Parameter.dim() >= 2 ? 1.0 : 0.0,
            (int)p.Parameter.numel())).ToArray();
        int n = snapshots.Count, m = n - 1, P = mask.Length;
        var final = snapshots[^1].Flatten();

        using var scope = NewDisposeScope();
        var rows = new double[n * P];
        for (int i = 0; i < n; i++)
        {
            var theta = snapshots[i].Flatten();
            for (int j = 0; j < P; j++) rows[i * P + j] = (theta[j] - final[j]) * mask[j];
        }
        var all = tensor(rows, new long[] { n, P }, ScalarType.Float64); // θᵢ − θₙ, the last row 0
        var M = all.narrow(0, 0, m);
        var centered = M - M.mean([0], keepdim: true);
        var (_, S, Vh) = linalg.svd(centered, fullMatrices: false);
        var s2 = S.Square();
        double total = s2.sum().ItemAsDouble();
        var components = Vh.narrow(0, 0, 2).clone(); // [2, P], unit rows

        var coords = all.matmul(components.t()); // [n, 2]
        var c = coords.data<double>().ToArray();
        var sign = new double[2];
        for (int k = 0; k < 2; k++)
        {
            double first = c[k]; // snapshot 0, component k
            double scale = Enumerable.Range(0, n).Max(i => Math.Abs(c[2 * i + k]));
            if (Math.Abs(first) > 1e-12 * scale) sign[k] = first >= 0 ? 1 : -1;
            else
            {
                var row = components[k];
                long arg = row.abs().argmax().ItemAsInt64();
                sign[k] = row[arg].ItemAsDouble() >= 0 ? 1 : -1;
            }
        }
        var signs = tensor(sign, ScalarType.Float64);
        components = components * signs.unsqueeze(1);
        var pathX = Enumerable.Range(0, n).Select(i => c[2 * i] * sign[0]).ToArray();
        var pathY = Enumerable.Range(0, n).Select(i => c[2 * i + 1] * sign[1]).ToArray();
        var s2v = s2.data<double>().ToArray();
        double[] variance = [s2v[0] / (m - 1), s2v.Length > 1 ? s2v[1] / (m - 1) : 0];
        double[] ratio = total > 0 ? [s2v[0] / total, s2v.Length > 1 ? s2v[1] / total : 0] : [0, 0];

        ParameterDirection Unflatten(Tensor flat)
        {
            long offset = 0;
            var parts = new List<(string, Tensor)>();
            foreach (var (name, p) in ps)
            {
                parts.Add((name, flat.narrow(0, offset, p.numel()).reshape(p.shape)));
                offset += p.numel();
            }
            return ParameterDirection.FromTensors(parts);
        }
        var made = new List<ParameterDirection>();
        try
        {
            made.Add(Unflatten(components[0]));
            made.Add(Unflatten(components[1]));
            made.Add(ParameterDirection.FromSnapshot(snapshots[^1], model));
        }
        catch
        {
            made.ForEach(d => d.Dispose());
            throw;
        }
        return new PcaTrajectory(made[0], made[1], made[2], variance, ratio,
            snapshots.Select(s => s.Epoch).ToArray(), snapshots.Select(s => s.Step).ToArray(), pathX, pathY);
    }
}
