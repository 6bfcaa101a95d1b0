using System.Runtime.InteropServices;

namespace EdgeAgent.Benchmarks;

/// <summary>The calling thread's CPU time: time the scheduler gave to other processes on a shared machine is not counted.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static long Nanoseconds()
    {
        _ = clock_gettime(ClockThreadCpuTime, out var time);
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
