using System.Net.Sockets;
using System.Text;

namespace EdgeAgent.Systemd;

/// <summary>
/// The sd_notify protocol: datagrams of <c>KEY=VALUE</c> lines to the unix socket named by <c>$NOTIFY_SOCKET</c>
/// (a path, or an abstract name written with a leading '@'). Without the variable every call is a no-op.
/// A send that fails is reported once through <see cref="LastError"/> and retried on the next call:
/// losing a notification must never stop the agent.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    private readonly Lock _lock = new();
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private Socket? _socket;

    public SystemdNotifier(string? socketPath)
    {
        SocketPath = string.IsNullOrEmpty(socketPath) ? null : socketPath;
        if (SocketPath is not null)
        {
            // Linux abstract namespace: sd_notify writes it with '@', the kernel wants a leading NUL.
            _endPoint = new UnixDomainSocketEndPoint(SocketPath[0] == '@' ? "\0" + SocketPath[1..] : SocketPath);
        }
    }

    public string? SocketPath { get; }

    public bool IsEnabled => _endPoint is not null;

    /// <summary>Why the last send failed, or null after a send that worked.</summary>
    public string? LastError { get; private set; }

    public bool Ready(string status) => Notify($"READY=1\nSTATUS={status}");

    public bool Stopping(string status) => Notify($"STOPPING=1\nSTATUS={status}");

    public bool Watchdog() => Notify("WATCHDOG=1");

    public bool Status(string status) => Notify($"STATUS={status}");

    public bool Notify(string state)
    {
        if (_endPoint is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(state);
        lock (_lock)
        {
            try
            {
                if (_socket is null)
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                    try
                    {
                        socket.Connect(_endPoint);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }

                    _socket = socket;
                }

                _socket.Send(bytes);
                LastError = null;
                return true;
            }
            catch (SocketException ex)
            {
                _socket?.Dispose();
                _socket = null;
                LastError = $"cannot notify systemd through {SocketPath}: {ex.Message} ({ex.SocketErrorCode})";
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
