using WeightDecay.Data;
using WeightDecay.Losses;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>
/// Sharpness as curvature: eigenvalues of the Hessian ∇²L(θ) of the mean data loss over a dataset, by power iteration
/// on Hessian-vector products (double backward: g = ∂L/∂θ with create_graph, then Hv = ∂(g·v)/∂θ), never forming H.
/// The Hessian is over all trainable parameters (biases included), with the model in evaluation mode.
/// </summary>
public static class Sharpness
{
    /// <summary>
    /// The largest eigenvalue of the Hessian (and the smallest when <see cref="HessianOptions.ComputeMinimum"/>). Power
    /// iteration finds the eigenvalue of largest magnitude λ_d; if λ_d &lt; 0 the largest is found by a second power
    /// iteration on H − λ_d·I; the smallest likewise on H − λ_max·I. The model's parameters are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">Data that does not fit the model, or invalid options.</exception>
    public static HessianSpectrum Estimate(nn.Module<Tensor, Tensor> model, TensorDataset data, Loss loss,
        HessianOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new HessianOptions();
        options.Validate();
        LossLandscape.CheckFits(model, data, loss, nameof(data));

        ParameterDirection Hv(ParameterDirection v)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            return HessianVectorProduct(model, data, loss, v, options.BatchSize);
        }

        var dominant = PowerIteration(model, Hv, 0, Seeds(options, "hessian-power"), options);
        EigenEstimate max = dominant;
        if (dominant.Value < 0)
        {
            var shifted = PowerIteration(model, Hv, dominant.Value, Seeds(options, "hessian-power-shifted"), options);
            max = shifted with { Value = shifted.Value + dominant.Value,
                Iterations = shifted.Iterations + dominant.Iterations };
        }
        EigenEstimate? min = null;
        if (options.ComputeMinimum)
        {
            if (dominant.Value < 0) min = dominant;
            else
            {
                var shifted = PowerIteration(model, Hv, dominant.Value, Seeds(options, "hessian-power-shifted"),
                    options);
                min = shifted with { Value = shifted.Value + dominant.Value };
            }
        }
        return new HessianSpectrum(max, min);
    }

    private static ulong Seeds(HessianOptions options, string stream) => Data.Seeds.Derive(options.Seed, stream);

    /// <summary>Power iteration on v ↦ Hv − shift·v from a seeded Gaussian start; returns the Rayleigh quotient of the
    /// shifted operator (add the shift back for an eigenvalue of H).</summary>
    private static EigenEstimate PowerIteration(nn.Module model, Func<ParameterDirection, ParameterDirection> hv,
        double shift, ulong seed, HessianOptions options)
    {
        var ps = ParameterDirection.Trainable(model);
        ParameterDirection v;
        using (var gen = new Generator(seed))
        using (NewDisposeScope())
        {
            using var raw =
                ParameterDirection.FromTensors(ps.Select(p =>
                (p.Name, randn(p.Parameter.shape, dtype: ScalarType.Float64, generator: gen))));
            v = raw.Scale(1 / raw.Norm());
        }
        try
        {
            double lambda = double.NaN, change = double.PositiveInfinity, residual = double.NaN;
            for (int it = 1; it <= options.MaxIterations; it++)
            {
                using var h = hv(v);
                using var w = shift == 0 ? h.Clone() : h.Add(v, -shift);
                double next = v.Dot(w);
                using (var r = w.Add(v, -next)) residual = r.Norm();
                double norm = w.Norm();
                change = double.IsNaN(lambda) ? double.PositiveInfinity
                    : Math.Abs(next - lambda) / Math.Max(Math.Abs(next), double.Epsilon);
                lambda = next;
                if (!double.IsFinite(norm))
                    throw new ArithmeticException($"The Hessian-vector product is not finite at iteration {it} (‖Hv‖ " +
                        $"= {norm}); the loss or its derivatives overflow here.");
                // v lies in the null space: 0 is the dominant eigenvalue
                if (norm == 0) return new EigenEstimate(0, it, true, 0, 0);
                var old = v;
                v = w.Scale(1 / norm);
                old.Dispose();
                if (change <= options.Tolerance) return new EigenEstimate(lambda, it, true, change, residual);
            }
            return new EigenEstimate(lambda, options.MaxIterations, false, change, residual);
        }
        finally
        {
            v.Dispose();
        }
    }

    /// <summary>
    /// The Hessian-vector product H·v of the mean data loss over <paramref name="data"/> (H = Σ_b (n_b/n)·∇²L_b over
    /// batches of <paramref name="batchSize"/>), computed in the model's dtype and returned in float64. The model is
    /// evaluated in evaluation mode; its parameters and their .grad are not changed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="v"/> is not shaped like the model's trainable parameters, or
    /// the data does not fit the model.</exception>
    public static ParameterDirection HessianVectorProduct(nn.Module<Tensor, Tensor> model, TensorDataset data,
        Loss loss, ParameterDirection v, int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(v);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be ≥ 1.");
        LossLandscape.CheckFits(model, data, loss, nameof(data));
        var ps = v.CheckMatches(model, nameof(v));
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            var parameters = ps.Select(p => (Tensor)p.Parameter).ToList();
            var vs = v.Tensors.Select((t, i) => t.to(parameters[i].device).to_type(parameters[i].dtype)).ToList();
            var sum = v.Tensors.Select(t => zeros_like(t)).ToList();
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var inner = NewDisposeScope();
                long n = Math.Min(batchSize, data.Count - start);
                var x = data.Features.narrow(0, start, n);
                var y = data.Targets.narrow(0, start, n);
                var l = loss.Forward(model.forward(x), y).Mul((double)n / data.Count);
                // retain_graph must be explicit: TorchSharp passes false, and the second derivative runs through this
                // graph
                var g = autograd.grad([l], parameters, retain_graph: true, create_graph: true, allow_unused: true);
                Tensor? dot = null;
                for (int i = 0; i < g.Count; i++)
                    if (g[i] is not null && !g[i].IsInvalid)
                    {
                        var term = (g[i] * vs[i]).sum();
                        dot = dot is null ? term : dot.Add(term);
                    }
                if (dot is null || !dot.requires_grad) continue; // the loss is at most linear in θ here: H = 0
                var hv = autograd.grad([dot], parameters, allow_unused: true);
                for (int i = 0; i < hv.Count; i++)
                    if (hv[i] is not null && !hv[i].IsInvalid)
                        sum[i].Add_(hv[i].detach().to_type(ScalarType.Float64).cpu());
            }
            return ParameterDirection.FromTensors(ps.Select((p, i) => (p.Name, sum[i])));
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
