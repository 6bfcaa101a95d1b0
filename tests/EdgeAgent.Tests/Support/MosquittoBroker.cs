using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeAgent.Pipelines.Tests.Support;

namespace EdgeAgent.Tests.Support;

/// <summary>
/// A real <c>mosquitto</c> on free 127.0.0.1 ports with a generated config: a plain listener, and optionally a TLS
/// listener and a password listener. Persistence is on, so a stopped and restarted broker keeps its retained
/// messages and persistent sessions. Stop/Start keep the same ports.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-broker");
    private readonly StringBuilder _log = new();
    private Process? _process;

    public MosquittoBroker(TlsFiles? tls = null, (string User, string Password)? passwordUser = null)
    {
        Port = FreePort();
        var config = new StringBuilder();
        config.AppendLine("per_listener_settings true");

        // Started as root, mosquitto would drop to the 'mosquitto' user, which cannot read our private temp directory.
        config.AppendLine($"user {Environment.UserName}");
        config.AppendLine("persistence true");
        config.AppendLine($"persistence_location {_dir.Path}/");
        config.AppendLine("log_dest stderr"); // unbuffered: the tests read the log while the broker runs
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");
        config.AppendLine("connection_messages true");

        // Test subscribers read through a pipe and may lag a burst; the broker must queue for them, not drop.
        config.AppendLine("max_queued_messages 0");
        config.AppendLine($"listener {Port} 127.0.0.1");
        config.AppendLine("allow_anonymous true");
        if (tls is not null)
        {
            TlsPort = FreePort();
            config.AppendLine($"listener {TlsPort} 127.0.0.1");
            config.AppendLine("allow_anonymous true");
            config.AppendLine($"cafile {tls.CaFile}");
            config.AppendLine($"certfile {tls.ServerCertFile}");
            config.AppendLine($"keyfile {tls.ServerKeyFile}");
        }

        if (passwordUser is { } credentials)
        {
            PasswordPort = FreePort();
            var passwordFile = _dir.Combine("passwords");
            Run("mosquitto_passwd", "-b", "-c", passwordFile, credentials.User, credentials.Password);
            config.AppendLine($"listener {PasswordPort} 127.0.0.1");
            config.AppendLine("allow_anonymous false");
            config.AppendLine($"password_file {passwordFile}");
        }

        ConfigFile = _dir.Write("mosquitto.conf", config.ToString());
        Start();
    }

    public int Port { get; }

    public int TlsPort { get; }

    public int PasswordPort { get; }

    public string ConfigFile { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the broker (the constructor already has); a second call while it runs does nothing.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var info = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfigFile);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!Accepts(Port))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"mosquitto did not start: {Log}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>A clean stop (SIGTERM): sessions and retained messages are saved.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the broker: its sockets stay open but nothing answers, like a dead link.</summary>
    public void Freeze(bool frozen) =>
        Process.Start("kill", [frozen ? "-STOP" : "-CONT", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();

    /// <summary>How many times the log says a client connected (accepted or not) on <paramref name="port"/>.</summary>
    public int ConnectionAttempts(int port) =>
        Log.Split('\n').Count(line => line.Contains("New connection from", StringComparison.Ordinal) && line.Contains($"on port {port}", StringComparison.Ordinal));

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Freeze(false);
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _dir.Dispose();
    }

    public static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated second CA, made with openssl.</summary>
public sealed record TlsFiles(string CaFile, string ServerCertFile, string ServerKeyFile, string OtherCaFile)
{
    public static TlsFiles Create(TempDirectory dir)
    {
        string F(string name) => dir.Combine(name);
        void Ssl(params string[] args) => MosquittoBroker.Run("openssl", args);
        Ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=EdgeAgent Test CA", "-keyout", F("ca.key"), "-out", F("ca.crt"));
        Ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Some Other CA", "-keyout", F("other.key"), "-out", F("other.crt"));
        Ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", F("server.key"), "-out", F("server.csr"));
        File.WriteAllText(F("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Ssl("x509", "-req", "-in", F("server.csr"), "-CA", F("ca.crt"), "-CAkey", F("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", F("san.ext"), "-out", F("server.crt"));
        return new TlsFiles(F("ca.crt"), F("server.crt"), F("server.key"), F("other.crt"));
    }
}
