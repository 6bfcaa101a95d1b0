namespace EdgeAgent.Pipelines.Memory;

/// <summary>glibc's view of its heap: bytes taken from the OS by brk/arenas and by mmap, bytes in use and free in the arenas.</summary>
public sealed record NativeHeapStatistics(long ArenaBytes, long MappedBytes, long InUseBytes, long FreeBytes);
