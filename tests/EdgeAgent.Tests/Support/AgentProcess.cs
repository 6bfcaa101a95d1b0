using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeAgent.Tests.Support;

/// <summary>
/// The real agent executable as a child process: the published one named by $EDGEAGENT_BIN (install.sh sets it),
/// else the build output beside the tests run through <c>dotnet</c>.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private static readonly Lazy<string> RunStateDirectory = new(() =>
    {
        var path = Directory.CreateTempSubdirectory("edgeagent-test-state-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(path, recursive: true);
        return path;
    });

    private AgentProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
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

    /// <summary>A test's wait that timed out, with what the agent wrote to stderr: usually the reason it never came.</summary>
    public TimeoutException WithStandardError(TimeoutException timeout) => new($"{timeout.Message}; agent stderr: {StandardError}", timeout);

    /// <summary>True when the executable under test is a Native AOT build (no edgeagent.dll beside it).</summary>
    public static bool IsNativeAot
    {
        get
        {
            var published = Environment.GetEnvironmentVariable("EDGEAGENT_BIN");
            return !string.IsNullOrEmpty(published) && File.Exists(published) &&
                   !File.Exists(Path.Combine(Path.GetDirectoryName(published)!, "edgeagent.dll"));
        }
    }

    /// <param name="launcher">A program (and its arguments) that starts the agent's command line, e.g. a sandbox.</param>
    public static AgentProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var published = Environment.GetEnvironmentVariable("EDGEAGENT_BIN");
        if (!string.IsNullOrEmpty(published) && File.Exists(published))
        {
            info.FileName = published;
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgeagent.dll"));
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (launcher is { Count: > 0 })
        {
            info.ArgumentList.Insert(0, info.FileName);
            for (var i = launcher.Count - 1; i >= 1; i--)
            {
                info.ArgumentList.Insert(0, launcher[i]);
            }

            info.FileName = launcher[0];
        }

        // The test host's own systemd variables must not leak into the agent under test.
        foreach (var name in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "EDGEAGENT_CONFIG" })
        {
            info.Environment.Remove(name);
        }

        // Nor the machine's own state: a configuration without stateDirectory would otherwise read and write
        // /var/lib/edgeagent (its outbox, its model store's active versions). One folder for the whole test run.
        info.Environment["STATE_DIRECTORY"] = RunStateDirectory.Value;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => Append(agent._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(agent._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Runs the agent to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        using var agent = Start(arguments, environment);
        var code = await agent.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (code, agent.StandardOutput, agent.StandardError);
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits (60 s at most) until the agent's log (stderr) contains <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, StringComparison comparison = StringComparison.Ordinal)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!StandardError.Contains(text, comparison))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{text}' in the agent's log within 60 s; stderr: {StandardError}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the agent did not exit within {timeout}; stderr: {StandardError}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    public const int SIGTERM = 15;
    public const int SIGKILL = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
