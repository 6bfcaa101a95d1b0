using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// adjtimex(2) with modes 0 only reads the kernel's clock discipline: its return value is the clock state, and
/// TIME_ERROR (5) means the clock is not synchronised (no NTP/PTP daemon has disciplined it). The kernel is the one
/// source every time daemon (systemd-timesyncd, chrony, ntpd) reports to, so no daemon-specific tool is needed.
/// </summary>
internal static unsafe class Adjtimex
{
    public const int TimeError = 5;

    // struct timex is 208 bytes on every 64-bit Linux; a larger zeroed buffer keeps modes == 0 (read only) whatever the
    // architecture's padding, and the kernel writes no more than its own struct.
    private const int BufferBytes = 512;

    /// <summary>The clock state (0 TIME_OK ... 5 TIME_ERROR), or -1 with errno when the call is refused.</summary>
    public static int State(out int errno)
    {
        var buffer = stackalloc byte[BufferBytes];
        new Span<byte>(buffer, BufferBytes).Clear();
        var state = Libc.adjtimex(buffer);
        errno = state < 0 ? Marshal.GetLastPInvokeError() : 0;
        return state;
    }
}
