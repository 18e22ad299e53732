using TorchSharp.Modules;
using WeightDecay.Data;
using WeightDecay.Training;
using static TorchSharp.torch;

namespace WeightDecay.Landscape;

/// <summary>
/// A vector in parameter space: one float64 tensor per trainable parameter of a model, with the parameters' names and
/// shapes in <c>model.named_parameters()</c> order. Used for directions d (random, θ₁ − θ₀, principal components) and
/// for parameter sets θ themselves (e.g. a slice's center). The instance owns its tensors (detached from every dispose
/// scope): dispose it.
/// </summary>
/// <remarks>
/// Values are kept in float64 whatever the model's dtype, so dot products, norms and the filter normalization are exact
/// to double precision and the same seed gives the same direction for float32 and float64 models. A point θ + α·d is
/// formed in float64 and then cast to the parameter's dtype.
/// </remarks>
public sealed class ParameterDirection : IDisposable
{
    /// <summary>The ε added to ‖d‖ before dividing in the layer and filter normalizations (as in
    /// <c>net_plotter.py</c>).</summary>
    public const double NormalizationEpsilon = 1e-10;

    /// <summary>The random stream of <see cref="Random"/> (and of the first direction of
    /// <see cref="RandomPair"/>).</summary>
    public const string RandomStream = "landscape-direction";

    /// <summary>The random stream of the second direction of <see cref="RandomPair"/>.</summary>
    public const string SecondRandomStream = "landscape-direction-2";

    private readonly string[] _names;
    private readonly Tensor[] _tensors;
    private bool _disposed;

    private ParameterDirection(string[] names, Tensor[] tensors)
    {
        _names = names;
        _tensors = tensors;
        foreach (var t in tensors) t.DetachFromDisposeScope();
    }

    /// <summary>Parameter names, in the model's <c>named_parameters()</c> order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of tensors.</summary>
    public int Count => _names.Length;

    /// <summary>Total number of scalar entries.</summary>
    public long ElementCount => Tensors.Sum(t => t.numel());

    /// <summary>The float64 tensors, owned by this instance: read them, do not dispose them.</summary>
    public IReadOnlyList<Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors;
        }
    }

    /// <summary>The tensor of parameter <paramref name="name"/> (owned by this instance).</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public Tensor this[string name]
    {
        get
        {
            int i = Array.IndexOf(_names, name);
            if (i < 0)
                throw new KeyNotFoundException($"The direction has no tensor '{name}'; it has " +
                    $"[{string.Join(", ", _names)}].");
            return Tensors[i];
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Construction
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A float64 copy of the model's trainable parameters θ.</summary>
    public static ParameterDirection FromModel(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ps = Trainable(model);
        return new ParameterDirection(ps.Select(p => p.Name).ToArray(),
            ps.Select(p => p.Parameter.detach().to_type(ScalarType.Float64).cpu().clone()).ToArray());
    }

    /// <summary>The parameters recorded in <paramref name="snapshot"/>, shaped like <paramref name="model"/>'s
    /// parameters.</summary>
    /// <exception cref="ArgumentException">The snapshot's names or sizes differ from the model's trainable
    /// parameters.</exception>
    public static ParameterDirection FromSnapshot(ParameterSnapshot snapshot, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        var ps = Trainable(model);
        CheckSnapshot(snapshot, ps, nameof(snapshot));
        using var scope = NewDisposeScope();
        return new ParameterDirection(ps.Select(p => p.Name).ToArray(),
            snapshot.Values.Select((v, i) => tensor(v.Value, ps[i].Parameter.shape, ScalarType.Float64)).ToArray());
    }

    /// <summary>A copy of the given named tensors (converted to float64 on the CPU).</summary>
    /// <exception cref="ArgumentException">No tensors, or a repeated name.</exception>
    public static ParameterDirection FromTensors(IEnumerable<(string Name, Tensor Value)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        if (list.Count == 0)
            throw new ArgumentException("Expected at least one named tensor; got none.", nameof(tensors));
        var dup = list.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new ArgumentException($"The name '{dup.Key}' appears {dup.Count()} times; expected unique names.",
                nameof(tensors));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return new ParameterDirection(list.Select(t => t.Name).ToArray(),
            list.Select(t => t.Value.detach().to_type(ScalarType.Float64).cpu().clone()).ToArray());
    }

    /// <summary>The direction θ₁ − θ₀ from <paramref name="from"/> (θ₀) to <paramref name="to"/> (θ₁), for
    /// interpolation.</summary>
    /// <exception cref="ArgumentException">The two have different names or shapes.</exception>
    public static ParameterDirection Between(ParameterDirection from, ParameterDirection to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        from.CheckSameLayout(to, nameof(to));
        using var scope = NewDisposeScope();
        return new ParameterDirection(from._names.ToArray(), to.Tensors.Zip(from.Tensors, (b, a) => b - a).ToArray());
    }

    /// <summary>The direction θ₁ − θ₀ between the trainable parameters of two models of the same
    /// architecture.</summary>
    /// <exception cref="ArgumentException">The models' trainable parameters differ in names or shapes.</exception>
    public static ParameterDirection Between(nn.Module from, nn.Module to)
    {
        using var a = FromModel(from);
        using var b = FromModel(to);
        return Between(a, b);
    }

    /// <summary>
    /// A Gaussian random direction shaped like <paramref name="model"/>'s trainable parameters, drawn in float64 from
    /// the stream <see cref="RandomStream"/> of <paramref name="seed"/> (every tensor is drawn, 1-D ones included, in
    /// <c>named_parameters()</c> order, so the options never shift the draws of other tensors), then normalized with
    /// <see cref="Normalize(ParameterDirection, DirectionNormalization, bool)"/>.
    /// </summary>
    /// <param name="model">The model whose parameters θ set the shapes and the normalization scale.</param>
    /// <param name="seed">Seed; the same seed and model shapes always give the same direction.</param>
    /// <param name="normalization">Filter (default, Li et al.), layer, or none.</param>
    /// <param name="includeOneDimensional">See
    /// <see cref="Normalize(ParameterDirection, DirectionNormalization, bool)"/>: false (default) gives 1-D tensors
    /// (biases, normalization scales and shifts) a zero direction, Li et al.'s <c>ignore='biasbn'</c>.</param>
    public static ParameterDirection Random(nn.Module model, long seed,
        DirectionNormalization normalization = DirectionNormalization.Filter, bool includeOneDimensional = false) =>
        Draw(model, seed, RandomStream, normalization, includeOneDimensional);

    /// <summary>
    /// Two independent random directions for a 2-D slice: <c>X</c> equals <see cref="Random"/> with the same arguments
    /// (so a 1-D slice along it is the α-axis of the plane) and <c>Y</c> is drawn from the stream
    /// <see cref="SecondRandomStream"/>.
    /// </summary>
    public static (ParameterDirection X, ParameterDirection Y) RandomPair(nn.Module model, long seed,
        DirectionNormalization normalization = DirectionNormalization.Filter, bool includeOneDimensional = false)
    {
        var x = Draw(model, seed, RandomStream, normalization, includeOneDimensional);
        try
        {
            return (x, Draw(model, seed, SecondRandomStream, normalization, includeOneDimensional));
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }

    private static ParameterDirection Draw(nn.Module model, long seed, string stream,
        DirectionNormalization normalization, bool includeOneDimensional)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckNormalization(normalization);
        var ps = Trainable(model);
        using var gen = new Generator(Seeds.Derive(seed, stream));
        ParameterDirection raw;
        using (NewDisposeScope())
            raw = new ParameterDirection(ps.Select(p => p.Name).ToArray(),
                ps.Select(p => randn(p.Parameter.shape, dtype: ScalarType.Float64, generator: gen)).ToArray());
        using (raw)
        using (var theta = FromModel(model))
            return raw.Normalize(theta, normalization, includeOneDimensional);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Normalization
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A copy of this direction normalized against the parameters <paramref name="parameters"/> (θ, same layout).
    /// Tensors with ≥ 2 dimensions are rescaled per <paramref name="normalization"/>. Tensors with ≤ 1 dimension get,
    /// when <paramref name="includeOneDimensional"/> is false, a zero direction (Li et al.'s <c>ignore='biasbn'</c>);
    /// when it is true they get, for layer and filter normalization, a copy of θ — what <c>net_plotter.py</c> does
    /// without <c>ignore='biasbn'</c> (a filter normalization in which each scalar is its own filter, with the sign of
    /// θ) — and for <see cref="DirectionNormalization.None"/> they are left as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The layouts differ, or an unknown normalization.</exception>
    public ParameterDirection Normalize(ParameterDirection parameters, DirectionNormalization normalization,
        bool includeOneDimensional = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckNormalization(normalization);
        CheckSameLayout(parameters, nameof(parameters));
        using var scope = NewDisposeScope();
        var result = new Tensor[Count];
        for (int i = 0; i < Count; i++)
        {
            Tensor d = Tensors[i], w = parameters.Tensors[i];
            if (d.dim() <= 1)
                result[i] = !includeOneDimensional ? zeros_like(d)
                    : normalization == DirectionNormalization.None ? d.clone() : w.clone();
            else if (normalization == DirectionNormalization.Layer)
                result[i] = d * (w.norm() / d.norm().Add(NormalizationEpsilon));
            else if (normalization == DirectionNormalization.Filter)
            {
                // per slice along dim 0: ‖θ_f‖ / (‖d_f‖ + ε), broadcast back over the slice
                var dims = Enumerable.Range(1, (int)d.dim() - 1).Select(k => (long)k).ToArray();
                var dn = d.Square().sum(dims, keepdim: true).sqrt();
                var wn = w.Square().sum(dims, keepdim: true).sqrt();
                result[i] = d * (wn / dn.Add(NormalizationEpsilon));
            }
            else
                result[i] = d.clone();
        }
        return new ParameterDirection(_names.ToArray(), result);
    }

    /// <summary>A copy normalized against <paramref name="model"/>'s current parameters (see the other
    /// overload).</summary>
    public ParameterDirection Normalize(nn.Module model, DirectionNormalization normalization,
        bool includeOneDimensional = false)
    {
        using var theta = FromModel(model);
        return Normalize(theta, normalization, includeOneDimensional);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Algebra
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>The inner product Σ dᵢ·eᵢ over all entries (float64).</summary>
    public double Dot(ParameterDirection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameLayout(other, nameof(other));
        using var scope = NewDisposeScope();
        double sum = 0;
        for (int i = 0; i < Count; i++) sum += (Tensors[i] * other.Tensors[i]).sum().ItemAsDouble();
        return sum;
    }

    /// <summary>The Euclidean norm ‖d‖₂ over all entries.</summary>
    public double Norm() => Math.Sqrt(Dot(this));

    /// <summary>The Frobenius norm of each tensor, by name.</summary>
    public IReadOnlyDictionary<string, double> TensorNorms()
    {
        using var scope = NewDisposeScope();
        return _names.Zip(Tensors).ToDictionary(p => p.First, p => p.Second.norm().ItemAsDouble());
    }

    /// <summary>The norm of each filter (slice along dimension 0) of the tensor <paramref name="name"/>; a 1-D tensor's
    /// filters are its entries (absolute values).</summary>
    public double[] FilterNorms(string name)
    {
        var t = this[name];
        using var scope = NewDisposeScope();
        if (t.dim() == 0) return [Math.Abs(t.ItemAsDouble())];
        return t.reshape(t.shape[0], -1).norm(1).data<double>().ToArray();
    }

    /// <summary>A new direction c·d.</summary>
    public ParameterDirection Scale(double factor)
    {
        using var scope = NewDisposeScope();
        return new ParameterDirection(_names.ToArray(), Tensors.Select(t => t.Mul(factor)).ToArray());
    }

    /// <summary>A new direction d + c·e.</summary>
    public ParameterDirection Add(ParameterDirection other, double factor = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameLayout(other, nameof(other));
        using var scope = NewDisposeScope();
        return new ParameterDirection(_names.ToArray(),
            Tensors.Zip(other.Tensors, (a, b) => a.Add(b.Mul(factor))).ToArray());
    }

    /// <summary>A deep copy.</summary>
    public ParameterDirection Clone() => Scale(1);

    /// <summary>All entries concatenated in order (row-major per tensor), like
    /// <see cref="ParameterSnapshot.Flatten"/>.</summary>
    public double[] Flatten() => Tensors.SelectMany(t => t.reshape(-1).data<double>().ToArray()).ToArray();

    /// <summary>Overwrites <paramref name="model"/>'s trainable parameters with these values (cast to their
    /// dtype).</summary>
    /// <exception cref="ArgumentException">The layout differs from the model's trainable parameters.</exception>
    public void CopyTo(nn.Module model)
    {
        var ps = CheckMatches(model, "model");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < Count; i++) ps[i].Parameter.copy_(Tensors[i]);
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _tensors) t.Dispose();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Checks
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The model's trainable parameters after checking that this direction has the same names and shapes, in order.
    /// </summary>
    /// <exception cref="ArgumentException">Names, order or shapes differ; the message names the first
    /// difference.</exception>
    public IReadOnlyList<(string Name, Parameter Parameter)> CheckMatches(nn.Module model, string paramName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ps = Trainable(model);
        if (!ps.Select(p => p.Name).SequenceEqual(_names))
            throw new ArgumentException(
                $"The {paramName} has tensors [{string.Join(", ", _names)}] but the model's trainable parameters are " +
                $"[{string.Join(", ", ps.Select(p => p.Name))}]; expected the same names in named_parameters() " +
                "order.", paramName);
        for (int i = 0; i < Count; i++)
            if (!Tensors[i].shape.SequenceEqual(ps[i].Parameter.shape))
                throw new ArgumentException(
                    $"The {paramName}'s tensor '{_names[i]}' has shape {Shape(Tensors[i].shape)} but the model's " +
                    $"parameter has shape {Shape(ps[i].Parameter.shape)}.", paramName);
        return ps;
    }

    private void CheckSameLayout(ParameterDirection other, string paramName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!other._names.SequenceEqual(_names))
            throw new ArgumentException(
                $"The {paramName} has tensors [{string.Join(", ", other._names)}] but this direction has " +
                $"[{string.Join(", ", _names)}]; expected the same names in the same order.", paramName);
        for (int i = 0; i < Count; i++)
            if (!other.Tensors[i].shape.SequenceEqual(Tensors[i].shape))
                throw new ArgumentException(
                    $"The {paramName}'s tensor '{_names[i]}' has shape {Shape(other.Tensors[i].shape)}; expected " +
                    $"{Shape(Tensors[i].shape)}.", paramName);
    }

    private static void CheckNormalization(DirectionNormalization normalization)
    {
        if (!Enum.IsDefined(normalization))
            throw new ArgumentOutOfRangeException(nameof(normalization), normalization,
                "Expected None, Layer or Filter.");
    }

    internal static void CheckSnapshot(ParameterSnapshot snapshot, IReadOnlyList<(string Name, Parameter Parameter)> ps,
        string paramName)
    {
        if (!snapshot.Values.Select(v => v.Key).SequenceEqual(ps.Select(p => p.Name)))
            throw new ArgumentException(
                $"The snapshot of epoch {snapshot.Epoch} has parameters " +
                $"[{string.Join(", ", snapshot.Values.Select(v => v.Key))}] but the model's trainable parameters are " +
                $"[{string.Join(", ", ps.Select(p => p.Name))}].", paramName);
        for (int i = 0; i < ps.Count; i++)
            if (snapshot.Values[i].Value.LongLength != ps[i].Parameter.numel())
                throw new ArgumentException(
                    $"The snapshot of epoch {snapshot.Epoch} has {snapshot.Values[i].Value.LongLength} values for " +
                    $"'{ps[i].Name}' but the model's parameter has shape {Shape(ps[i].Parameter.shape)} " +
                    $"({ps[i].Parameter.numel()} values).", paramName);
    }

    /// <summary>The model's trainable parameters (requires_grad) in <c>named_parameters()</c> order.</summary>
    /// <exception cref="ArgumentException">The model has no trainable parameter.</exception>
    internal static List<(string Name, Parameter Parameter)> Trainable(nn.Module model)
    {
        var ps = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))
            .ToList();
        if (ps.Count == 0) throw new ArgumentException("The model has no trainable parameters.", nameof(model));
        return ps;
    }

    internal static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
