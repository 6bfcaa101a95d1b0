using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// /dev/i2c-N through the i2c-dev ioctl interface: one combined I2C_RDWR transaction per register read (write the
/// register address, repeated start, read the bytes), so no other master can slip in between.
/// </summary>
internal sealed unsafe class I2cBus : IDisposable
{
    private readonly FileDescriptorHandle _fd;

    private I2cBus(FileDescriptorHandle fd, string device)
    {
        _fd = fd;
        Device = device;
    }

    public string Device { get; }

    public static I2cBus Open(string device) =>
        new(new FileDescriptorHandle(Errno.ThrowIfFailed(Libc.open(device, LinuxAbi.Current.O_RDWR | LinuxAbi.Current.O_CLOEXEC), "open", device)), device);

    public void ReadRegister(int address, byte register, Span<byte> destination)
    {
        var abi = LinuxAbi.Current;
        var reg = register;
        fixed (byte* buffer = destination)
        {
            var messages = stackalloc I2cMsg[2];
            messages[0] = new I2cMsg { addr = (ushort)address, flags = 0, len = 1, buf = &reg };
            messages[1] = new I2cMsg { addr = (ushort)address, flags = abi.I2C_M_RD, len = (ushort)destination.Length, buf = buffer };
            var data = new I2cRdwrIoctlData { msgs = messages, nmsgs = 2 };
            Errno.ThrowIfFailed(Libc.ioctl(_fd.Fd, abi.I2C_RDWR, (nint)(&data)), "ioctl(I2C_RDWR)", Device);
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>struct i2c_msg (linux/i2c.h; layout checked by LinuxAbiTests).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct I2cMsg
    {
        public ushort addr;
        public ushort flags;
        public ushort len;
        public byte* buf;
    }

    /// <summary>struct i2c_rdwr_ioctl_data (linux/i2c-dev.h; layout checked by LinuxAbiTests).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct I2cRdwrIoctlData
    {
        public I2cMsg* msgs;
        public uint nmsgs;
    }
}
