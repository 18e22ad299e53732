namespace WeightDecay.Native;

/// <summary>What <see cref="TorchNativeLoader.EnsureLoaded"/> found and did.</summary>
/// <param name="NativeDirectory">The folder whose libtorch and LibTorchSharp were loaded (null off Linux).</param>
/// <param name="WeakenedVersions">Version needs marked weak in this call (empty when nothing had to be
/// changed).</param>
/// <param name="Message">The one console line printed when a library was patched, else null.</param>
public sealed record TorchNativeStatus(string? NativeDirectory, IReadOnlyList<string> WeakenedVersions,
    string? Message);
