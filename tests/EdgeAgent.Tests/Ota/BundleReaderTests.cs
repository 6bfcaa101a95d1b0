using System.Formats.Tar;
using EdgeAgent.Ota;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed class BundleReaderTests : IDisposable
{
    private readonly BundleFixture _fixture = new();

    private OtaRejectedException Rejected(string bundle, long max = 1 << 20) =>
        FluentActions.Invoking(() => BundleReader.Extract(bundle, _fixture.Dir.Combine("staging-" + Guid.NewGuid().ToString("N")), max))
            .Should().Throw<OtaRejectedException>().Which;

    [Fact]
    public void Tar_and_folder_bundles_extract_the_three_files()
    {
        var folder = _fixture.Folder("vib", "1");
        foreach (var bundle in new[] { folder, _fixture.Tar(folder) })
        {
            var staging = _fixture.Dir.Combine("s-" + Guid.NewGuid().ToString("N"));
            BundleReader.Extract(bundle, staging, 1 << 20);
            Directory.GetFiles(staging).Select(Path.GetFileName).Should().BeEquivalentTo(BundleFiles.All);
        }
    }

    [Theory]
    [InlineData("../model.onnx")]
    [InlineData("../../etc/cron.d/evil")]
    [InlineData("sub/model.onnx")]
    [InlineData("/etc/passwd")]
    public void Path_traversal_names_are_refused(string name)
    {
        var tar = _fixture.Tar(_fixture.Folder("vib", "1"), (name, "x"));
        Rejected(tar).Reason.Should().Be(RejectionReason.UnsafeBundle);
        File.Exists("/etc/cron.d/evil").Should().BeFalse();
    }

    [Fact]
    public void Links_are_refused()
    {
        var path = _fixture.Dir.Combine("link.tar");
        using (var stream = File.Create(path))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "model.onnx") { LinkName = "/etc/shadow" });
        }

        Rejected(path).Message.Should().Contain("must be a regular file");
    }

    [Fact]
    public void Bundles_over_the_cap_are_refused()
    {
        var folder = _fixture.Folder("vib", "1", modelContent: new string('x', 4096));
        Rejected(_fixture.Tar(folder), max: 1024).Reason.Should().Be(RejectionReason.TooLarge);
        Rejected(folder, max: 1024).Reason.Should().Be(RejectionReason.TooLarge);
    }

    [Fact]
    public void Truncated_or_foreign_archives_are_refused()
    {
        var tar = _fixture.Tar(_fixture.Folder("vib", "1", modelContent: new string('y', 20000)));
        var bytes = File.ReadAllBytes(tar);
        File.WriteAllBytes(tar, bytes[..(bytes.Length / 3)]);
        Rejected(tar).Reason.Should().Be(RejectionReason.UnsafeBundle);
        Rejected(_fixture.Dir.Write("random.tar", "this is not a tar archive, just words")).Reason.Should().Be(RejectionReason.UnsafeBundle);
    }

    [Fact]
    public void Missing_model_is_refused()
    {
        var folder = _fixture.Folder("vib", "1");
        File.Delete(Path.Combine(folder, BundleFiles.Model));
        Rejected(folder).Message.Should().Contain("has no model.onnx");
    }

    public void Dispose() => _fixture.Dispose();
}
