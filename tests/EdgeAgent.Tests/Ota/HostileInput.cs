using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Support;

namespace EdgeAgent.Tests.Ota;

/// <summary>The hostile artifacts of issue 17, made from the demo model: broken tars, wrong-typed manifests, special files.</summary>
internal static class HostileInput
{
    /// <summary>A folder with the demo model as <paramref name="version"/>, its model.json changed by <paramref name="edit"/>.</summary>
    public static string DemoFolder(TempDirectory dir, string version, Action<JsonObject>? edit = null, string? name = null, OnnxModelBuilder? model = null)
    {
        var folder = dir.Combine($"{name ?? "demo"}-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var onnx = Path.Combine(folder, "model.onnx");
        if (model is null)
        {
            File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), onnx);
        }
        else
        {
            model.Save(onnx);
        }

        var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        manifest["version"] = version;
        manifest["sha256"] = EdgeAgent.Ota.BundleSignature.Sha256Hex(onnx);
        if (name is not null)
        {
            manifest["name"] = name;
        }

        edit?.Invoke(manifest);
        File.WriteAllText(Path.Combine(folder, "model.json"), manifest.ToJsonString());
        return folder;
    }

    public static string Tar(TempDirectory dir, string folder, TarEntryFormat format = TarEntryFormat.Pax)
    {
        var bundle = folder + ".tar";
        using (var stream = File.Create(bundle))
        using (var writer = new TarWriter(stream, format))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(file, Path.GetFileName(file));
            }
        }

        return bundle;
    }

    /// <summary>
    /// A ~10 KB tar whose first entry's size field is base-256 (0x80 0x7f 0xff … at offset 124) with a correct header
    /// checksum: .NET's TarReader throws OverflowException on it.
    /// </summary>
    public static string Base256SizeTar(TempDirectory dir)
    {
        var path = dir.Combine($"base256-{Guid.NewGuid():N}.tar");
        var header = new byte[512];
        Encoding.ASCII.GetBytes("model.onnx").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        header[124] = 0x80;
        header[125] = 0x7f;
        for (var i = 126; i < 136; i++)
        {
            header[i] = 0xff;
        }

        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(header, 263);
        for (var i = 148; i < 156; i++)
        {
            header[i] = (byte)' ';
        }

        var sum = header.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        var content = new byte[10 * 1024];
        header.CopyTo(content, 0);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// The demo pipeline's signature (features[1, 10] → reconstruction[1, 10]) around a constant that ORT folds at
    /// session creation: ConstantOfShape([225000000]) → ReduceSum, 900 MB allocated by a 1 KB model (issue 17, defect 2).
    /// </summary>
    public static OnnxModelBuilder MemoryHog() =>
        new OnnxModelBuilder("memory_hog")
            .Input("features", TensorElementType.Float, 1, 10)
            .Output("reconstruction", TensorElementType.Float, 1, 10)
            .Initializer("count", TensorElementType.Int64, [1], new[] { 225_000_000L })
            .Node("ConstantOfShape", ["count"], ["zeros"])
            .Node("ReduceSum", ["zeros"], ["sum"])
            .Node("Mul", ["features", "sum"], ["reconstruction"]);

    /// <summary>
    /// The demo pipeline's signature around <paramref name="matmuls"/> MatMuls of 1024×1024 (about 1 G multiply-adds
    /// each): a model as slow as wished, that no constant folding can shorten (everything depends on the input).
    /// </summary>
    public static OnnxModelBuilder Slow(int matmuls)
    {
        var builder = new OnnxModelBuilder("slow")
            .Input("features", TensorElementType.Float, 1, 10)
            .Output("reconstruction", TensorElementType.Float, 1, 10)
            .Initializer("a", TensorElementType.Float, [10, 1024], Enumerable.Repeat(0.001f, 10 * 1024).ToArray())
            .Initializer("w", TensorElementType.Float, [1024, 1024], Enumerable.Repeat(0.0005f, 1024 * 1024).ToArray())
            .Initializer("b", TensorElementType.Float, [1024, 10], Enumerable.Repeat(0.001f, 1024 * 10).ToArray())
            .Initializer("square", TensorElementType.Int64, [2], new[] { 1024L, 1024L })
            .Node("MatMul", ["features", "a"], ["h"])
            .Node("Expand", ["h", "square"], ["m0"]);
        for (var i = 0; i < matmuls; i++)
        {
            builder.Node("MatMul", [$"m{i}", "w"], [$"m{i + 1}"]);
        }

        return builder
            .Node("ReduceMean", [$"m{matmuls}"], ["mean"], OnnxAttribute.Ints("axes", 0), OnnxAttribute.Int("keepdims", 1))
            .Node("MatMul", ["mean", "b"], ["reconstruction"]);
    }

    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} failed");
        }
    }

    /// <summary>mknod c 1 5 (/dev/zero's numbers); false where the test may not create device nodes (a container without CAP_MKNOD).</summary>
    public static bool TryMakeZeroDevice(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mknod", [path, "c", "1", "5"]) { UseShellExecute = false, RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}

/// <summary>
/// A real HTTP server on loopback that sends the headers and half of the body of its artifact, then resets the
/// connection (SO_LINGER 0): the response stream throws IOException mid-body. With <c>holdFirst</c> it instead keeps
/// its first connection open without sending another byte (a download stopped mid-body, for as long as the test
/// likes), and serves later requests whole from the offset of their Range header (recorded in <see cref="Ranges"/>).
/// Counts the connections it accepted.
/// </summary>
internal sealed class HalfBodyHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _body;
    private readonly bool _holdFirst;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _ranges = new();
    private int _connections;

    public HalfBodyHttpServer(byte[] body, bool holdFirst = false)
    {
        _body = body;
        _holdFirst = holdFirst;
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The Range header of every request that had one, e.g. <c>bytes=2560-</c>.</summary>
    public IReadOnlyCollection<string> Ranges => _ranges;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // Each connection on its own: a held one must not keep the next from being served.
            _ = Task.Run(() => AnswerAsync(socket, Interlocked.Increment(ref _connections)));
        }
    }

    private async Task AnswerAsync(Socket socket, int connection)
    {
        try
        {
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var range = request.ToString().Split("\r\n").FirstOrDefault(h => h.StartsWith("Range: ", StringComparison.OrdinalIgnoreCase))?[7..];
            if (range is not null)
            {
                _ranges.Enqueue(range);
            }

            if (_holdFirst && connection > 1)
            {
                var from = range is null ? 0 : int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                var status = from == 0 ? "200 OK" : $"206 Partial Content\r\nContent-Range: bytes {from}-{_body.Length - 1}/{_body.Length}";
                await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {_body.Length - from}\r\nConnection: close\r\n\r\n"), SocketFlags.None);
                await socket.SendAsync(_body.AsMemory(from), SocketFlags.None);
                return;
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {_body.Length}\r\nContent-Type: application/x-tar\r\n\r\n"), SocketFlags.None);
            await socket.SendAsync(_body.AsMemory(0, _body.Length / 2), SocketFlags.None);
            if (_holdFirst)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await Task.Delay(200);
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
        }
        finally
        {
            socket.Close();
        }
    }
}
