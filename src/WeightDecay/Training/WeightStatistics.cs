namespace WeightDecay.Training;

/// <summary>Summaries of weight values: histograms and the roughness of weight images.</summary>
public static class WeightStatistics
{
    /// <summary>Counts of <paramref name="values"/> in <paramref name="bins"/> equal bins on [min, max].</summary>
    public static Histogram Histogram(IEnumerable<double> values, int bins, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "Need at least one bin.");
        if (!(max > min)) throw new ArgumentException($"Expected min < max, got [{min}, {max}].");
        var counts = new long[bins];
        double width = (max - min) / bins;
        foreach (var v in values)
        {
            if (!(v >= min && v <= max)) continue;
            int k = Math.Min(bins - 1, (int)((v - min) / width));
            counts[k]++;
        }
        return new Histogram(Enumerable.Range(0, bins + 1).Select(i => min + i * width).ToArray(), counts);
    }

    /// <summary>
    /// Roughness of a weight image (row-major <paramref name="height"/> × <paramref name="width"/>): the energy of its
    /// finite differences relative to its own energy, Σ(∂ₓw)² + Σ(∂ᵧw)² over Σw². Invariant to scaling; high for pixel
    /// noise (≈ 4 for white noise), low for smooth strokes.
    /// </summary>
    public static double Roughness(IReadOnlyList<double> image, int height = 28, int width = 28)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Count != height * width)
            throw new ArgumentException($"The image has {image.Count} values; expected {height} × {width} = " +
                $"{height * width}.", nameof(image));
        double energy = 0, diff = 0;
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                double v = image[r * width + c];
                energy += v * v;
                if (c + 1 < width) diff += Math.Pow(image[r * width + c + 1] - v, 2);
                if (r + 1 < height) diff += Math.Pow(image[(r + 1) * width + c] - v, 2);
            }
        return energy == 0 ? 0 : diff / energy;
    }
}
