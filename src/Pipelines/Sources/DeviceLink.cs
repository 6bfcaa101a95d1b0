using EdgeAgent.Pipelines.Supervision;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// The one policy of every source that opens a device or a file, for when it comes and goes: a failed open or read
/// counts a read error; an outage counts and logs "lost" once, however many attempts it takes; the first open after
/// it counts and logs "back" with the attempts it took. Reopen delays are 0.5 s doubling up to maxRetrySeconds
/// (never below 0.5 s), with ±20 % jitter so that many devices behind one hub do not retry in lockstep.
/// One per run of a source, used from its loop only.
/// </summary>
public sealed class DeviceLink
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);

    private readonly SourceContext _context;
    private readonly Backoff _backoff;
    private int _attempts;
    private bool _lost;

    public DeviceLink(SourceContext context, TimeSpan maxRetry)
    {
        _context = context;
        _backoff = new Backoff(FirstRetry, maxRetry < FirstRetry ? FirstRetry : maxRetry, BackoffJitter.TwentyPercent);
    }

    /// <summary>An open failed; returns how long to wait before the next attempt.</summary>
    public TimeSpan OpenFailed(string device, string reason)
    {
        _attempts++;
        ReadFailed(device, reason);
        return NextDelay();
    }

    /// <summary>The device is open: "back" when it had been lost; the next outage's delays start from 0.5 s again.</summary>
    public void Opened(string device)
    {
        if (_lost)
        {
            _lost = false;
            _context.Counters.AddDeviceBack();
            SourceLog.DeviceBack(_context.Logger, _context.Name, device, _attempts);
        }

        _attempts = 0;
        _backoff.Reset();
    }

    /// <summary>A read or an open failed (unplugged, hung up, permissions): the outage starts now unless it already has.</summary>
    public void ReadFailed(string device, string reason)
    {
        _context.Counters.AddReadError();
        if (!_lost)
        {
            _lost = true;
            _context.Counters.AddDeviceLost();
            SourceLog.DeviceLost(_context.Logger, _context.Name, device, reason);
        }
    }

    /// <summary>The next reopen delay, for a source that waits before reopening after a failed read.</summary>
    public TimeSpan NextDelay() => _backoff.Next();
}
