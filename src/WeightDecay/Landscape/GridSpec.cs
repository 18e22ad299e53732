namespace WeightDecay.Landscape;

/// <summary>The points θₖ = center + A[k]·D1 (+ B[k]·D2) of a slice, flattened in evaluation order.</summary>
internal sealed record GridSpec(ParameterDirection Center, ParameterDirection D1, ParameterDirection? D2, double[] A,
    double[]? B)
{
    public int Count => A.Length;
}
