using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace EdgeAgent.Tests.Support;

/// <summary>A real unix datagram socket standing in for systemd's notify socket; records every datagram.</summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;

    public NotifySocketListener(string address)
    {
        Address = address;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address));
        _receiver = Task.Run(ReceiveAsync);
    }

    /// <summary>What goes into NOTIFY_SOCKET: a path, or '@name' for the abstract namespace.</summary>
    public string Address { get; }

    public List<string> Received { get; } = [];

    /// <summary>Waits for a datagram containing <paramref name="line"/>; returns it.</summary>
    public Task<string> WaitForAsync(string line, TimeSpan timeout) => WaitForAsync(l => l == line, $"'{line}'", timeout);

    /// <summary>
    /// Waits for READY=1, then for a line that matches, READY's own datagram included: it carries the STATUS of its
    /// moment, and a later STATUS comes only when the summary changes. READY gets 60 s, the match <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForReadyThenAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        var ready = await WaitForAsync("READY=1", TimeSpan.FromSeconds(60));
        if (!ready.Split('\n').Any(match))
        {
            await WaitForAsync(match, what, timeout);
        }
    }

    /// <summary>Waits for a datagram with a line that matches; returns the datagram.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cts.Token);
                if (message.Split('\n').Any(match))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (Received)
            {
                throw new TimeoutException($"no {what} within {timeout}; received: [{string.Join(" | ", Received)}]");
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int count;
            try
            {
                count = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var message = Encoding.UTF8.GetString(buffer, 0, count);
            lock (Received)
            {
                Received.Add(message);
            }

            _messages.Writer.TryWrite(message);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiver.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
