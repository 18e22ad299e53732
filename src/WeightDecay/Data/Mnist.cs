using System.IO.Compression;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace WeightDecay.Data;

/// <summary>
/// Loads the bundled MNIST subset (<c>data/mnist-subset-*-idx?-ubyte.gz</c>, gzip'd IDX, see <c>data/README.md</c>).
/// Both files are checked against their SHA-256 before they are parsed.
/// </summary>
public static class Mnist
{
    /// <summary>File name of the images (gzip'd IDX3, 10,000 × 28 × 28 bytes).</summary>
    public const string ImagesFile = "mnist-subset-images-idx3-ubyte.gz";

    /// <summary>File name of the labels (gzip'd IDX1, 10,000 bytes).</summary>
    public const string LabelsFile = "mnist-subset-labels-idx1-ubyte.gz";

    /// <summary>SHA-256 of <see cref="ImagesFile"/>.</summary>
    public const string ImagesSha256 = "6147811c070e77823b67d8be7963f6ab00af77f5660c687bbdc8a3a1bc7b7459";

    /// <summary>SHA-256 of <see cref="LabelsFile"/>.</summary>
    public const string LabelsSha256 = "4098cd2f8985372bfe9d2755e944398058f46893cb54c15631c6343ae14199a9";

    /// <summary>Total number of digits in the subset.</summary>
    public const int TotalCount = 10_000;

    /// <summary>Pixels per digit (28 × 28).</summary>
    public const int PixelCount = 784;

    private const string RestoreHint =
        "Restore it with 'git checkout -- data/' or regenerate it with 'bash tools/mnist/fetch-and-convert.sh' (see " +
        "data/README.md).";

    /// <summary>
    /// Loads the subset and splits it, per class, into training and test digits: every class contributes in proportion
    /// to its size (largest-remainder rounding so the test set has exactly <paramref name="testCount"/> digits), chosen
    /// by a shuffle seeded with <paramref name="splitSeed"/>. The same arguments always give the same split.
    /// </summary>
    /// <param name="directory">Folder holding the two files; null searches <c>WEIGHTDECAY_DATA</c>, then <c>data/</c>
    /// in the current folder, the application folder and their parents.</param>
    /// <param name="testCount">Test digits (default 2,000; the other 8,000 train).</param>
    /// <param name="splitSeed">Seed of the split (default 0).</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file has the wrong checksum or is truncated or malformed.</exception>
    public static MnistSubset Load(string? directory = null, int testCount = 2_000, int splitSeed = 0)
    {
        if (testCount < 1 || testCount >= TotalCount)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount,
                $"Expected 1 ≤ testCount < {TotalCount}.");
        string dir = directory ?? FindDataDirectory();
        byte[] images = ReadVerified(Path.Combine(dir, ImagesFile), ImagesSha256);
        byte[] labels = ReadVerified(Path.Combine(dir, LabelsFile), LabelsSha256);
        byte[] pixels = ParseIdx(images, 0x00000803, [TotalCount, 28, 28], Path.Combine(dir, ImagesFile));
        byte[] classes = ParseIdx(labels, 0x00000801, [TotalCount], Path.Combine(dir, LabelsFile));
        foreach (var c in classes)
            if (c > 9)
                throw new InvalidDataException($"'{Path.Combine(dir, LabelsFile)}' holds label {c}; expected 0–9. " +
                    $"{RestoreHint}");

        var (trainIdx, testIdx) = StratifiedSplit(classes, testCount, splitSeed);
        using var scope = NewDisposeScope();
        using var maxPixel = 255f.ToScalar();
        var all = tensor(pixels, new long[] { TotalCount, PixelCount }).to_type(ScalarType.Float32).div_(maxPixel);
        var y = tensor(classes.Select(b => (long)b).ToArray(), new long[] { TotalCount });
        TensorDataset Take(long[] idx)
        {
            using var i = tensor(idx);
            return new TensorDataset(all.index_select(0, i).MoveToOuterDisposeScope(),
                y.index_select(0, i).MoveToOuterDisposeScope());
        }
        return new MnistSubset(Take(trainIdx), Take(testIdx), Path.GetFullPath(dir));
    }

    /// <summary>
    /// A deterministic stratified split of examples with the given class labels: the test share of each class is
    /// proportional to its size, rounded by largest remainder so that exactly <paramref name="testCount"/> are held
    /// out. Indices are returned in increasing order.
    /// </summary>
    public static (long[] Train, long[] Test) StratifiedSplit(IReadOnlyList<byte> labels, int testCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (testCount < 1 || testCount >= labels.Count)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount,
                $"Expected 1 ≤ testCount < {labels.Count}.");
        var byClass = labels.Select((c, i) => (c, i: (long)i)).GroupBy(p => p.c).OrderBy(g => g.Key)
            .Select(g => g.Select(p => p.i).ToArray()).ToList();
        double share = (double)testCount / labels.Count;
        var quotas = byClass.Select(g => (int)Math.Floor(g.Length * share)).ToArray();
        int missing = testCount - quotas.Sum();
        foreach (var k in Enumerable.Range(0, byClass.Count)
                     .OrderByDescending(k => byClass[k].Length * share - quotas[k]).ThenBy(k => k).Take(missing))
            quotas[k]++;
        var rng = new Random(Seeds.DeriveInt(seed, "mnist-split"));
        var train = new List<long>();
        var test = new List<long>();
        for (int k = 0; k < byClass.Count; k++)
        {
            var idx = byClass[k].ToArray();
            rng.Shuffle(idx);
            test.AddRange(idx[..quotas[k]]);
            train.AddRange(idx[quotas[k]..]);
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>Finds the <c>data/</c> folder holding the subset.</summary>
    /// <exception cref="FileNotFoundException">No candidate folder holds the images file.</exception>
    public static string FindDataDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("WEIGHTDECAY_DATA") is { Length: > 0 } env) candidates.Add(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                candidates.Add(Path.Combine(d.FullName, "data"));
        foreach (var c in candidates.Distinct())
            if (File.Exists(Path.Combine(c, ImagesFile))) return c;
        throw new FileNotFoundException(
            $"The MNIST subset ('{ImagesFile}') was not found in WEIGHTDECAY_DATA or in a 'data' folder of the " +
            "current or application folder or their parents. Run from the repository, set WEIGHTDECAY_DATA to its " +
            $"data folder, or pass the folder. {RestoreHint}", ImagesFile);
    }

    private static byte[] ReadVerified(string path, string expectedSha256)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The MNIST subset file '{path}' is missing. {RestoreHint}", path);
        byte[] bytes = File.ReadAllBytes(path);
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"'{path}' has SHA-256 {actual}, expected {expectedSha256}: the file is corrupt or was changed. " +
                $"{RestoreHint}");
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip file. {RestoreHint}", e);
        }
    }

    /// <summary>Parses an IDX file of unsigned bytes with the expected magic number and dimensions; returns its
    /// data.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, dimensions or length; the message names
    /// <paramref name="path"/>.</exception>
    public static byte[] ParseIdx(byte[] idx, int magic, int[] dims, string path)
    {
        int header = 4 + 4 * dims.Length;
        if (idx.Length < header)
            throw new InvalidDataException($"'{path}' is truncated: {idx.Length} bytes, shorter than its " +
                $"{header}-byte IDX header. {RestoreHint}");
        int actualMagic = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(idx);
        if (actualMagic != magic)
            throw new InvalidDataException($"'{path}' has IDX magic 0x{actualMagic:X8}, expected 0x{magic:X8}. " +
                $"{RestoreHint}");
        for (int i = 0; i < dims.Length; i++)
        {
            int d = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(idx.AsSpan(4 + 4 * i));
            if (d != dims[i])
                throw new InvalidDataException($"'{path}' has dimension {i} = {d}, expected {dims[i]}. {RestoreHint}");
        }
        long expected = header + dims.Aggregate(1L, (a, b) => a * b);
        if (idx.Length != expected)
            throw new InvalidDataException($"'{path}' has {idx.Length} bytes, expected {expected} (truncated or " +
                $"padded). {RestoreHint}");
        return idx[header..];
    }
}
