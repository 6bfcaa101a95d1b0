using System.Runtime.InteropServices;
using System.Text;
using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>
/// The master side of a pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r). The slave path behaves
/// like a serial device, which is how serial sources are tested without hardware. Test-only: its libc calls are
/// bound here, not in the agent's binding.
/// </summary>
internal sealed unsafe partial class PseudoTerminal : IDisposable
{
    private readonly FileDescriptorHandle _master;

    public PseudoTerminal()
    {
        var abi = LinuxAbi.Current;
        _master = new FileDescriptorHandle(Errno.ThrowIfFailed(posix_openpt(abi.O_RDWR | abi.O_NOCTTY | abi.O_CLOEXEC), "posix_openpt", "/dev/ptmx"));
        Errno.ThrowIfFailed(grantpt(_master.Fd), "grantpt", "/dev/ptmx");
        Errno.ThrowIfFailed(unlockpt(_master.Fd), "unlockpt", "/dev/ptmx");
        var buffer = stackalloc byte[128];
        var result = ptsname_r(_master.Fd, buffer, 128);
        if (result != 0)
        {
            throw new IOException($"ptsname_r failed (error {result})");
        }

        var name = new ReadOnlySpan<byte>(buffer, 128);
        SlavePath = Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
    }

    public string SlavePath { get; }

    /// <summary>Writes to the master: the bytes arrive at the slave as if sent by a device.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var written = 0;
            while (written < data.Length)
            {
                var n = write(_master.Fd, p + written, (nuint)(data.Length - written));
                if (n < 0)
                {
                    Errno.Throw("write", "/dev/ptmx");
                }

                written += (int)n;
            }
        }
    }

    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    public void Dispose() => _master.Dispose();

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static partial int ptsname_r(int fd, byte* buf, nuint buflen);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint write(int fd, byte* buf, nuint count);
}
