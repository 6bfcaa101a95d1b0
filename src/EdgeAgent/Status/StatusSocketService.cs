using System.Net.Sockets;
using EdgeAgent.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Status;

/// <summary>
/// Answers <c>edgeagent status</c> on a unix socket: each connection gets one JSON report and is closed. The socket
/// lives in a 0700 directory and is itself 0600, so only the agent's user (and root) can ask. A socket that cannot be
/// made is logged and the agent runs on: this is an operator's convenience, never a reason to stop the data path.
/// </summary>
internal sealed partial class StatusSocketService : BackgroundService
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly AgentOptions _options;
    private readonly StatusReport _report;
    private readonly ILogger<StatusSocketService> _logger;

    public StatusSocketService(AgentOptions options, StatusReport report, ILogger<StatusSocketService> logger)
    {
        _options = options;
        _report = report;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = StatusSocketPath.Of(_options);
        using var listener = TryListen(path);
        if (listener is null)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await client.SendAsync(_report.Write(), SocketFlags.None, stoppingToken).ConfigureAwait(false);
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException ex)
                {
                    LogClientFailed(_logger, ex.Message); // the asker went away; the next one is served
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Socket? TryListen(string path)
    {
        if (path.Length > StatusSocketPath.MaxLength)
        {
            LogCannotListen(_logger, path, $"the path is longer than the {StatusSocketPath.MaxLength} bytes a unix socket may have; choose a shorter stateDirectory");
            return null;
        }

        try
        {
            var directory = StatusSocketPath.Directory(_options);
            System.IO.Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            File.SetUnixFileMode(directory, OwnerOnlyDirectory);
            if (File.Exists(path))
            {
                if (Answers(path))
                {
                    LogCannotListen(_logger, path, "another agent answers there (two agents share this stateDirectory?)");
                    return null;
                }

                File.Delete(path); // left by an agent that was killed
            }

            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
                File.SetUnixFileMode(path, OwnerOnlyFile);
                listener.Listen(8);
                return listener;
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            LogCannotListen(_logger, path, ex.Message);
            return null;
        }
    }

    private static bool Answers(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Status socket {Path} not available ({Reason}); 'edgeagent status' will say the agent is not running")]
    private static partial void LogCannotListen(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Status socket: a client went away: {Reason}")]
    private static partial void LogClientFailed(ILogger logger, string reason);
}
