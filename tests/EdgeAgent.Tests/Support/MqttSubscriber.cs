using System.Diagnostics;

namespace EdgeAgent.Tests.Support;

/// <summary>
/// An independent subscriber: <c>mosquitto_sub</c> (MQTT 5, QoS 1, optionally a persistent session that survives a
/// broker restart), each message parsed into topic, retain flag, its 'id' user property and payload.
/// </summary>
public sealed class MqttSubscriber : IDisposable
{
    private readonly Process _process;
    private readonly List<Received> _messages = [];
    private readonly System.Text.StringBuilder _stderr = new();

    public MqttSubscriber(int port, string topicFilter, string? persistentClientId = null)
    {
        var info = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-V", "5", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topicFilter, "-q", "1", "-F", "%t\t%r\t%P\t%p" })
        {
            info.ArgumentList.Add(argument);
        }

        if (persistentClientId is not null)
        {
            // Clean start off and a long session expiry: what the broker queues while we reconnect is kept for us.
            foreach (var argument in new[] { "-c", "-i", persistentClientId, "-x", "3600" })
            {
                info.ArgumentList.Add(argument);
            }
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Parse(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public sealed record Received(string Topic, bool Retained, string? Id, string Payload);

    public IReadOnlyList<Received> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var snapshot = Messages;
            if (condition(snapshot))
            {
                return snapshot;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"within {timeout.TotalSeconds:F0}s: {what}; received {Messages.Count} messages; mosquitto_sub: {StandardError}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Parse(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        var parts = line.Split('\t', 4);
        if (parts.Length < 4)
        {
            return;
        }

        var id = parts[2].Split(' ').Select(p => p.Split(':', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0] == "id")?[1];
        lock (_messages)
        {
            _messages.Add(new Received(parts[0], parts[1] == "1", id, parts[3]));
        }
    }
}
