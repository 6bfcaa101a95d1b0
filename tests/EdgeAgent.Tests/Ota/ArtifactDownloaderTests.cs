using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>Downloads from a real HTTP server on loopback that can cut a transfer short or misbehave.</summary>
public sealed class ArtifactDownloaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly byte[] _artifact = RandomNumberGenerator.GetBytes(300_000);
    private readonly HttpListener _listener = new();
    private readonly List<string?> _ranges = [];
    private readonly string _prefix;
    private int _cutAfter = -1;
    private int _extraBytes;

    public ArtifactDownloaderTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private DesiredModel Desired(long? size = null, string? sha = null, string path = "vib.tar") =>
        new("line1", "vib", "2", new Uri(_prefix + path), sha ?? Convert.ToHexStringLower(SHA256.HashData(_artifact)), size ?? _artifact.Length, null, "test");

    private ArtifactDownloader Downloader(long max = 10 << 20, int timeoutSeconds = 30) => new(new HttpClient(), max, TimeSpan.FromSeconds(timeoutSeconds));

    [Fact]
    public async Task Downloads_and_checks_the_artifact()
    {
        var target = _dir.Combine("a.tar");
        await Downloader().DownloadAsync(Desired(), target, CancellationToken.None);
        File.ReadAllBytes(target).Should().Equal(_artifact);
    }

    [Fact]
    public async Task A_transfer_cut_short_resumes_with_a_range_request()
    {
        _cutAfter = 100_000;
        var target = _dir.Combine("b.tar");
        await FluentActions.Awaiting(() => Downloader().DownloadAsync(Desired(), target, CancellationToken.None))
            .Should().ThrowAsync<OtaRejectedException>().WithMessage("*resumes on the next attempt*");
        new FileInfo(target).Length.Should().BeGreaterThan(0).And.BeLessThan(_artifact.Length);

        _cutAfter = -1;
        await Downloader().DownloadAsync(Desired(), target, CancellationToken.None);
        File.ReadAllBytes(target).Should().Equal(_artifact);
        _ranges.Last().Should().StartWith("bytes=").And.NotBe("bytes=0-");
    }

    [Fact]
    public async Task Wrong_checksum_is_rejected_and_the_file_removed()
    {
        var target = _dir.Combine("c.tar");
        var rejection = await FluentActions.Awaiting(() => Downloader().DownloadAsync(Desired(sha: new string('0', 64)), target, CancellationToken.None))
            .Should().ThrowAsync<OtaRejectedException>();
        rejection.Which.Reason.Should().Be(RejectionReason.ChecksumMismatch);
        File.Exists(target).Should().BeFalse();
    }

    [Fact]
    public async Task Over_the_cap_is_refused_before_and_during_the_transfer()
    {
        (await FluentActions.Awaiting(() => Downloader(max: 1000).DownloadAsync(Desired(), _dir.Combine("d.tar"), CancellationToken.None))
            .Should().ThrowAsync<OtaRejectedException>()).Which.Reason.Should().Be(RejectionReason.TooLarge);

        // The server sends more than the desired state declared: cut off at the declared size.
        _extraBytes = 50_000;
        var target = _dir.Combine("e.tar");
        (await FluentActions.Awaiting(() => Downloader().DownloadAsync(Desired(), target, CancellationToken.None))
            .Should().ThrowAsync<OtaRejectedException>()).Which.Reason.Should().Be(RejectionReason.SizeMismatch);
        File.Exists(target).Should().BeFalse();
    }

    [Fact]
    public async Task File_urls_work()
    {
        var source = _dir.Combine("local.tar");
        await File.WriteAllBytesAsync(source, _artifact);
        var desired = Desired() with { Url = new Uri(source) };
        var target = _dir.Combine("f.tar");
        await Downloader().DownloadAsync(desired, target, CancellationToken.None);
        File.ReadAllBytes(target).Should().Equal(_artifact);
    }

    [Fact]
    public async Task Disk_full_during_the_download_is_reported_as_such()
    {
        var mount = _dir.Combine("tiny");
        Directory.CreateDirectory(mount);
        if (!TryMountTmpfs(mount, "64k"))
        {
            Assert.Fail("cannot mount a small tmpfs to fill (the tests run as root in CI)");
        }

        try
        {
            (await FluentActions.Awaiting(() => Downloader().DownloadAsync(Desired(), Path.Combine(mount, "g.tar"), CancellationToken.None))
                .Should().ThrowAsync<OtaRejectedException>()).Which.Reason.Should().Be(RejectionReason.DiskFull);
        }
        finally
        {
            Run("umount", mount);
        }
    }

    private static bool TryMountTmpfs(string path, string size) => Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path) == 0;

    private static int Run(string file, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            var range = context.Request.Headers["Range"];
            lock (_ranges)
            {
                _ranges.Add(range);
            }

            var start = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                start = int.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                context.Response.StatusCode = 206;
            }

            var body = _artifact.AsMemory(start);
            var extra = new byte[_extraBytes];
            context.Response.SendChunked = true;
            try
            {
                if (_cutAfter >= 0)
                {
                    await context.Response.OutputStream.WriteAsync(body[.._cutAfter]);
                    await context.Response.OutputStream.FlushAsync();
                    context.Response.Abort();
                    continue;
                }

                await context.Response.OutputStream.WriteAsync(body);
                await context.Response.OutputStream.WriteAsync(extra);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
            }
        }
    }

    public void Dispose()
    {
        // Close alone: after Stop, the managed listener's Close unregisters the prefix again and binds the port to do
        // so, which fails when another test has taken the freed port meanwhile.
        _listener.Close();
        _dir.Dispose();
    }
}
