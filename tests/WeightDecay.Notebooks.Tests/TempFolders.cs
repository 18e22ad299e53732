namespace WeightDecay.Notebooks.Tests;

/// <summary>A notebooks folder and an output folder in the temp directory, deleted with everything in them.</summary>
internal sealed class TempFolders : IDisposable
{
    public string Notebooks { get; } = Directory.CreateTempSubdirectory("wd-nb-").FullName;

    public string Output { get; } = Directory.CreateTempSubdirectory("wd-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(Notebooks, true);
        Directory.Delete(Output, true);
    }
}
