using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.Outbox;

/// <summary>
/// The time the outbox stamps messages with and measures their age by (<c>outbox.maxAgeHours</c>): monotonic within
/// a boot, wall time only across boots. A wall clock stepped forward (NTP on a board without an RTC) must not make
/// fresh events look a week old and drop them, nor one stepped back keep stale ones.
/// The first process of a boot anchors the boot's time (wall clock and seconds since boot, with the kernel's boot
/// id) in the outbox file; every process of the same boot derives "now" from that anchor and the time since boot,
/// so a restart after a clock step still agrees with the stamps already written.
/// </summary>
internal sealed class OutboxClock
{
    private readonly TimeProvider _time;
    private readonly long _baseMs;
    private readonly long _startStamp;

    private OutboxClock(TimeProvider time, long baseMs)
    {
        _time = time;
        _baseMs = baseMs;
        _startStamp = time.GetTimestamp();
    }

    /// <summary>Milliseconds on the outbox's time line (Unix milliseconds when the boot's anchor was taken).</summary>
    public long NowMs() => _baseMs + (long)_time.GetElapsedTime(_startStamp).TotalMilliseconds;

    /// <summary>Reads or writes the boot's anchor in <paramref name="store"/>.</summary>
    /// <param name="onNotAnchored">Told why, when the anchor could not be written (a full disk): this process then measures from its own start.</param>
    public static OutboxClock Open(OutboxStore store, ClockSources sources, Action<string>? onNotAnchored = null)
    {
        var wallMs = sources.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var bootId = Read(sources.BootIdPath);
        var uptimeMs = ReadUptimeMs(sources.UptimePath);
        if (bootId is null || uptimeMs is null)
        {
            return new OutboxClock(sources.Time, wallMs); // no /proc: monotonic within this process only
        }

        var anchor = store.ReadClockAnchor();
        if (anchor is { } a && a.BootId == bootId && a.UptimeMs <= uptimeMs)
        {
            return new OutboxClock(sources.Time, a.WallMs + (uptimeMs.Value - a.UptimeMs));
        }

        try
        {
            store.WriteClockAnchor(bootId, wallMs, uptimeMs.Value);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (OutboxStore.IsOutOfSpace(ex))
        {
            onNotAnchored?.Invoke(ex.Message);
        }

        return new OutboxClock(sources.Time, wallMs);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>/proc/uptime's first field: seconds since boot, suspend included (CLOCK_BOOTTIME).</summary>
    private static long? ReadUptimeMs(string path) =>
        Read(path)?.Split(' ')[0] is { } first && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? (long)Math.Round(seconds * 1000)
            : null;
}

/// <summary>Where <see cref="OutboxClock"/> reads time from; tests give their own files and clock.</summary>
internal sealed record ClockSources(TimeProvider Time, string BootIdPath, string UptimePath)
{
    public static ClockSources System { get; } = new(TimeProvider.System, "/proc/sys/kernel/random/boot_id", "/proc/uptime");
}
