using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// Polls the drop folder (<c>ota.inbox</c>) for bundles: a <c>.tar</c> or a folder with model.onnx and model.json.
/// Whoever drops a bundle moves it in atomically, so anything visible is complete; names starting with '.' are
/// in-progress copies and are ignored. A handled bundle is moved to <c>.done/</c> or <c>.rejected/</c> (with the
/// reason beside it), so it is handled once. Polling, not inotify: USB sticks and network mounts do not deliver events.
/// </summary>
public sealed partial class InboxWatcher : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly string _inbox;
    private readonly UpdateCoordinator _coordinator;
    private readonly ILogger<InboxWatcher> _logger;
    private readonly HashSet<string> _unmovable = new(StringComparer.Ordinal);
    private long _scanFailures;

    public InboxWatcher(OtaOptions options, UpdateCoordinator coordinator, ILogger<InboxWatcher> logger)
    {
        _inbox = options.Inbox;
        _coordinator = coordinator;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The folder itself is unreadable (a stick pulled mid-scan, permissions): counted, logged, and the next
                // scan tries again; the agent and its other channels keep running.
                Interlocked.Increment(ref _scanFailures);
                LogScanFailed(_logger, _inbox, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Scans that failed because the inbox folder could not be read.</summary>
    public long ScanFailures => Interlocked.Read(ref _scanFailures);

    /// <summary>Handles every complete bundle in the inbox once; returns how many it handled.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_inbox))
        {
            return 0;
        }

        var handled = 0;
        foreach (var entry in new DirectoryInfo(_inbox).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            // Only what could be a bundle is handled; a FIFO or device named *.tar is refused by the bundle reader
            // (lstat before opening, never blocking), and moved to .rejected with that reason.
            if (entry.Name.StartsWith('.') || _unmovable.Contains(entry.FullName) ||
                entry is FileInfo file && !file.Name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            handled++;
            string? reason = null;
            try
            {
                await _coordinator.ProcessAsync(new BundleUpdate(entry.FullName, null, $"inbox {entry.Name}"), cancellationToken).ConfigureAwait(false);
            }
            catch (OtaRejectedException ex)
            {
                reason = $"{ReportedStateWriter.SnakeCase(ex.Reason)}: {ex.Message}";
            }

            MoveAside(entry, reason);
        }

        return handled;
    }

    private void MoveAside(FileSystemInfo entry, string? reason)
    {
        var folder = Path.Combine(_inbox, reason is null ? ".done" : ".rejected");
        try
        {
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{entry.Name}");
            if (entry is DirectoryInfo directory)
            {
                directory.MoveTo(target);
            }
            else
            {
                File.Move(entry.FullName, target);
            }

            if (reason is not null)
            {
                File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only stick: remember the bundle instead, so it is not installed again every 5 seconds.
            _unmovable.Add(entry.FullName);
            LogUnmovable(_logger, entry.FullName, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot scan the inbox {Path} ({Error}); trying again at the next scan")]
    private static partial void LogScanFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot move handled bundle {Path} out of the inbox ({Error}); it will be ignored until the agent restarts")]
    private static partial void LogUnmovable(ILogger logger, string path, string error);
}
