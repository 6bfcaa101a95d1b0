using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>Runs the real ffmpeg/ffprobe for tests: generates media with lavfi sources and serves MJPEG on loopback.</summary>
public static class FfmpegTool
{
    /// <summary>Runs ffmpeg to completion with the given arguments (after -hide_banner -loglevel error -y).</summary>
    public static void Run(params string[] arguments) => RunTool("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments]);

    public static string Probe(params string[] arguments) => RunTool("ffprobe", ["-hide_banner", "-loglevel", "error", .. arguments]);

    /// <summary>Encodes a lavfi filter graph (e.g. <c>testsrc2=size=320x240:rate=10:duration=2</c>) to a file.</summary>
    public static string Generate(string path, string lavfiGraph, string codec = "mpeg4")
    {
        Run("-f", "lavfi", "-i", lavfiGraph, "-c:v", codec, "-q:v", "4", "-pix_fmt", "yuv420p", path);
        return path;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An ffmpeg that serves one MJPEG-over-HTTP client on 127.0.0.1, as an IP camera would.</summary>
    public static Process ServeMjpeg(int port, string lavfiGraph)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", lavfiGraph,
                     "-f", "mpjpeg", "-q:v", "5", "-listen", "1", $"http://127.0.0.1:{port}/cam.mjpg"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    /// <summary>Process ids of this process's live children whose command line contains every one of <paramref name="texts"/>.</summary>
    public static IReadOnlyList<int> ChildProcessesWith(params string[] texts)
    {
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // A zombie (state Z) is already dead; it only waits to be reaped.
                if (fields[0] != "Z" && int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == self &&
                    File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0') is var arguments &&
                    texts.All(t => arguments.Any(a => a.Contains(t, StringComparison.Ordinal))))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while being read.
            }
        }

        return found;
    }

    private static string RunTool(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} did not finish: {string.Join(' ', arguments)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Result;
    }
}
