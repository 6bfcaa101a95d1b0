using System.Text;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// The master side of a pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r). The slave path behaves
/// like a serial device, which is how serial sources are tested without hardware.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private readonly FileDescriptorHandle _master;

    public PseudoTerminal()
    {
        var abi = LinuxAbi.Current;
        _master = new FileDescriptorHandle(Errno.ThrowIfFailed(Libc.posix_openpt(abi.O_RDWR | abi.O_NOCTTY | abi.O_CLOEXEC), "posix_openpt", "/dev/ptmx"));
        Errno.ThrowIfFailed(Libc.grantpt(_master.Fd), "grantpt", "/dev/ptmx");
        Errno.ThrowIfFailed(Libc.unlockpt(_master.Fd), "unlockpt", "/dev/ptmx");
        var buffer = stackalloc byte[128];
        var result = Libc.ptsname_r(_master.Fd, buffer, 128);
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
                var n = Libc.write(_master.Fd, p + written, (nuint)(data.Length - written));
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
}
