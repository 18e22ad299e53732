using System.Runtime.CompilerServices;

namespace WeightDecay.Native;

internal static class ModuleInit
{
    /// <summary>Loads the TorchSharp natives (with the Debian 12 fix) before any type of this library runs torch
    /// code.</summary>
#pragma warning disable CA2255 // a library initializer is intended here: every entry point needs the natives first
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Init() => TorchNativeLoader.EnsureLoaded();
}
