namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// A tty opened for a line-oriented sensor: non-blocking, no controlling terminal, raw mode (cfmakeraw: no echo,
/// no canonical line editing, no CR/LF translation, no signals), 8N1, receiver on, modem lines ignored
/// (CLOCAL), no hardware flow control, at the requested baud rate. Input already queued from before is flushed.
/// </summary>
internal sealed unsafe class SerialPort : IDisposable
{
    private readonly FileDescriptorHandle _fd;

    private SerialPort(FileDescriptorHandle fd, string device)
    {
        _fd = fd;
        Device = device;
    }

    public string Device { get; }

    public enum PollResult
    {
        Timeout,
        Readable,
        HangUp,
    }

    public static SerialPort Open(string device, int baudRate)
    {
        var abi = LinuxAbi.Current;
        var speed = abi.ToSpeed(baudRate) ?? throw new ArgumentException($"{baudRate} is not a standard baud rate");
        var fd = new FileDescriptorHandle(Errno.ThrowIfFailed(Libc.open(device, abi.O_RDWR | abi.O_NOCTTY | abi.O_NONBLOCK | abi.O_CLOEXEC), "open", device));
        try
        {
            Libc.Termios termios;
            Errno.ThrowIfFailed(Libc.tcgetattr(fd.Fd, &termios), "tcgetattr", device);
            Libc.cfmakeraw(&termios);
            termios.c_cflag |= abi.CLOCAL | abi.CREAD | abi.CS8;
            termios.c_cflag &= ~(abi.CSTOPB | abi.PARENB | abi.CRTSCTS);
            termios.c_cc[abi.VMIN] = 1;
            termios.c_cc[abi.VTIME] = 0;
            Errno.ThrowIfFailed(Libc.cfsetispeed(&termios, speed), "cfsetispeed", device);
            Errno.ThrowIfFailed(Libc.cfsetospeed(&termios, speed), "cfsetospeed", device);
            Errno.ThrowIfFailed(Libc.tcsetattr(fd.Fd, abi.TCSANOW, &termios), "tcsetattr", device);
            Libc.tcflush(fd.Fd, abi.TCIOFLUSH);
            return new SerialPort(fd, device);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Reads the line discipline back (tests check that raw mode really took).</summary>
    public (bool Echo, bool Canonical, bool Cs8, uint Speed) ReadSettings()
    {
        var abi = LinuxAbi.Current;
        Libc.Termios termios;
        Errno.ThrowIfFailed(Libc.tcgetattr(_fd.Fd, &termios), "tcgetattr", Device);
        return ((termios.c_lflag & abi.ECHO) != 0, (termios.c_lflag & abi.ICANON) != 0, (termios.c_cflag & abi.CSIZE) == abi.CS8, termios.c_ospeed);
    }

    public PollResult Poll(int timeoutMilliseconds)
    {
        var abi = LinuxAbi.Current;
        var pfd = new Libc.PollFd { fd = _fd.Fd, events = (short)abi.POLLIN };
        var result = Libc.poll(&pfd, 1, timeoutMilliseconds);
        if (result < 0)
        {
            var e = Errno.Exception("poll", Device);
            return e.HResult == abi.EINTR ? PollResult.Timeout : throw e;
        }

        if (result == 0)
        {
            return PollResult.Timeout;
        }

        if ((pfd.revents & abi.POLLIN) != 0)
        {
            return PollResult.Readable;
        }

        return (pfd.revents & (abi.POLLHUP | abi.POLLERR | abi.POLLNVAL)) != 0 ? PollResult.HangUp : PollResult.Timeout;
    }

    /// <summary>Reads what is available; 0 means nothing right now; throws when the device is gone (EOF or error).</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = Libc.read(_fd.Fd, p, (nuint)buffer.Length);
            if (n > 0)
            {
                return (int)n;
            }

            if (n == 0)
            {
                throw new IOException($"{Device}: end of file (device hung up)");
            }

            var e = Errno.Exception("read", Device);
            return e.HResult == LinuxAbi.Current.EAGAIN || e.HResult == LinuxAbi.Current.EINTR ? 0 : throw e;
        }
    }

    public void Dispose() => _fd.Dispose();
}
