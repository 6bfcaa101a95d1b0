using System.Globalization;

namespace EdgeAgent.Systemd;

/// <summary>What systemd asked for: the notify socket and, with WatchdogSec=, the ping deadline.</summary>
public sealed record WatchdogSettings(string? NotifySocket, TimeSpan? WatchdogTimeout)
{
    /// <summary>Pings go out at half the deadline, as sd_watchdog_enabled(3) recommends.</summary>
    public TimeSpan? PingInterval => WatchdogTimeout / 2;

    public static WatchdogSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        TimeSpan? timeout = null;
        if (ulong.TryParse(environment.GetValueOrDefault("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            // WATCHDOG_PID, when present, says which process the deadline is for; a child that inherited it must not ping.
            var pid = environment.GetValueOrDefault("WATCHDOG_PID");
            if (string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                timeout = TimeSpan.FromMicroseconds(usec);
            }
        }

        return new WatchdogSettings(environment.GetValueOrDefault(SystemdNotifier.SocketVariable), timeout);
    }
}
