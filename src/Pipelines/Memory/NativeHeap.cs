using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Pipelines.Memory;

/// <summary>
/// The C heap under ONNX Runtime. A model swap frees a whole session at once (weights, kernels, the graph). glibc
/// mmaps big blocks but, after the first such block is freed, raises its mmap threshold to that block's size
/// (up to 32 MiB): from then on every model's weight buffers come from its heap arenas, whose freed space is kept
/// as a high-water mark. Measured: +70% RSS over the first 50 swaps of a 5 MB model, then flat (BENCHMARKS.md, OTA).
/// <see cref="ReturnLargeBlocksToSystem"/> pins the threshold, so big blocks always go back to the system at free;
/// <see cref="Trim"/> returns the freed small blocks after a session is disposed. Both are no-ops on C libraries
/// without them (musl), which do not keep such a high-water mark in the first place.
/// </summary>
public static class NativeHeap
{
    /// <summary>glibc's default threshold; setting it explicitly is what turns the dynamic raise off.</summary>
    private const int MmapThresholdBytes = 128 * 1024;

    /// <summary>Off only for side-by-side measurements of the behaviour without it (tests/Benchmarks ota-swap --baseline).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Keeps blocks of 128 KiB and more out of the heap arenas for the rest of the process (glibc mallopt
    /// M_MMAP_THRESHOLD). Called once when the inference runtime is created, before any model is loaded.
    /// </summary>
    /// <returns>False when this C library has no such setting.</returns>
    public static bool ReturnLargeBlocksToSystem() => Enabled && Libc.TryMallopt(LinuxAbi.Current.M_MMAP_THRESHOLD, MmapThresholdBytes);

    /// <summary>Returns freed C-heap memory to the system (glibc malloc_trim(0)); call after disposing a model.</summary>
    /// <returns>False when this C library cannot trim.</returns>
    public static bool Trim() => Enabled && Libc.TryMallocTrim();

    /// <summary>The C heap's counters (glibc mallinfo2), or null where the C library does not report them.</summary>
    public static NativeHeapStatistics? Statistics() => Libc.TryMallinfo2() is { } info
        ? new NativeHeapStatistics((long)info.arena, (long)info.hblkhd, (long)info.uordblks, (long)info.fordblks)
        : null;
}
