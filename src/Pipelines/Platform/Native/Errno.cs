using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>The one place where a failed libc call becomes an exception (an <see cref="IOException"/> naming the
/// call, the device and the C library's message).</summary>
internal static class Errno
{
    public static int ThrowIfFailed(int result, string call, string device)
    {
        if (result < 0)
        {
            Throw(call, device);
        }

        return result;
    }

    public static IOException Exception(string call, string device)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({device}): {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    public static void Throw(string call, string device) => throw Exception(call, device);
}
