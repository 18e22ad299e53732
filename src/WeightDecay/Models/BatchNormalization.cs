using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WeightDecay.Models;

/// <summary>
/// Batch normalization of a [batch, features] input, computed as PyTorch's <c>BatchNorm1d</c> computes it
/// (<c>nn.functional.batch_norm</c>): in training mode each feature is normalized with its batch mean and biased batch
/// variance plus ε, and the running statistics move by <see cref="Momentum"/> toward the batch mean and unbiased
/// variance; in evaluation mode the running statistics are used. Optional learned scale γ (<c>weight</c>, 1 at
/// start) and shift β (<c>bias</c>, 0). Parameter and buffer names are PyTorch's (<c>weight</c>, <c>bias</c>,
/// <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>).
/// <para>Why not TorchSharp's <c>BatchNorm1d</c>: its <c>forward</c> advances <c>num_batches_tracked</c> with
/// <c>add_(1)</c>, which makes two Scalars (the 1 and the alpha) that only a finalizer frees; a garbage collection
/// during that call can free them while libtorch reads them (see <see cref="Scalars"/>). Here the counter advances
/// with long-lived Scalars.</para>
/// </summary>
public sealed class BatchNormalization : nn.Module<Tensor, Tensor>
{
    private readonly Parameter? _weight;
    private readonly Parameter? _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;
    private readonly Tensor _batches;

    /// <summary>Number of features (the input's second dimension).</summary>
    public long Features { get; }

    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The running statistics' update factor per training batch.</summary>
    public double Momentum { get; }

    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No features, ε ≤ 0 or a momentum outside (0, 1].</exception>
    public BatchNormalization(long features, bool affine = false, double eps = 1e-5, double momentum = 0.1,
        ScalarType dtype = ScalarType.Float32)
        : base(nameof(BatchNormalization))
    {
        if (features < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, "Need at least one feature.");
        if (!(eps > 0) || !double.IsFinite(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be finite and > 0.");
        if (!(momentum > 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in (0, 1].");
        (Features, Eps, Momentum) = (features, eps, momentum);
        if (affine)
        {
            _weight = new Parameter(ones(features, dtype: dtype));
            _bias = new Parameter(zeros(features, dtype: dtype));
            register_parameter("weight", _weight);
            register_parameter("bias", _bias);
        }
        _runningMean = zeros(features, dtype: dtype);
        _runningVar = ones(features, dtype: dtype);
        _batches = tensor(0L);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
        register_buffer("num_batches_tracked", _batches);
    }

    /// <summary>γ (null without <c>affine</c>).</summary>
    public Parameter? Weight => _weight;

    /// <summary>β (null without <c>affine</c>).</summary>
    public Parameter? Bias => _bias;

    /// <summary>The running mean per feature.</summary>
    public Tensor RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance per feature.</summary>
    public Tensor RunningVar => _runningVar;

    /// <summary>Training batches seen.</summary>
    public long BatchesTracked => _batches.item<long>();

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != Features)
            throw new ArgumentException(
                $"Expected [batch, {Features}], got [{string.Join(", ", input.shape)}].", nameof(input));
        if (training)
            using (no_grad())
                _batches.add_(Scalars.One, Scalars.One);
        return nn.functional.batch_norm(input, _runningMean, _runningVar, _weight, _bias, training, Momentum, Eps);
    }
}
