using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Status;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent status</c>: asks the running agent for its picture over its status socket and prints it as a table.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var json = new Option<bool>("--json") { Description = "Print the agent's report as JSON (for scripts)." };
        var command = new Command("status",
            "Ask the running agent (over the unix socket in its stateDirectory) for health, pipelines, models, alerts, outbox, MQTT and cameras. " +
            "Exit 0 when it answers, 69 when it is not running.");
        arguments.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            var path = StatusSocketPath.Of(loaded.Options);
            byte[] report;
            try
            {
                report = await AskAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ArgumentOutOfRangeException)
            {
                Console.Error.WriteLine($"edgeagent: {NotRunning(path, ex)}");
                return ExitCodes.Unavailable;
            }

            if (result.GetValue(json))
            {
                Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(report));
                return ExitCodes.Ok;
            }

            using var document = JsonDocument.Parse(report);
            Console.Out.Write(StatusTable.Render(document.RootElement));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task<byte[]> AskAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no status socket", path);
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, timeout.Token).ConfigureAwait(false);
        return memory.ToArray();
    }

    private static string NotRunning(string path, Exception ex) => ex switch
    {
        FileNotFoundException =>
            $"the agent is not running (no status socket at {path}). Start it with 'sudo systemctl start edgeagent' or 'edgeagent run'; " +
            "if it runs with another configuration, pass the same --config (the socket is in its stateDirectory)",
        SocketException { SocketErrorCode: SocketError.AccessDenied } =>
            $"the agent's status socket {path} is its user's only: run 'sudo -u edgeagent edgeagent status' or as root",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
            $"the agent is not running (its status socket {path} is left from an agent that stopped without cleaning up). " +
            "Start it with 'sudo systemctl start edgeagent' or 'edgeagent run'",
        _ => $"the agent did not answer on {path}: {ex.Message}. Is it running? 'systemctl status edgeagent' or 'edgeagent doctor' tell more",
    };
}
