using EdgeAgent.Ota;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed class BundleVerifierTests : IDisposable
{
    private readonly BundleFixture _fixture = new();

    private OtaRejectedException Rejected(string folder, bool allowUnsigned = false, params string[] keys) =>
        FluentActions.Invoking(() => new BundleVerifier(keys.Length == 0 ? [_fixture.PublicKey] : keys, allowUnsigned).Verify(folder))
            .Should().Throw<OtaRejectedException>().Which;

    [Fact]
    public void Signed_bundle_by_a_trusted_key_is_accepted()
    {
        var manifest = new BundleVerifier([_fixture.PublicKey], false).Verify(_fixture.Folder("vib", "1.0.0"));
        manifest.Name.Should().Be("vib");
        manifest.Version.Should().Be("1.0.0");
    }

    [Fact]
    public void Replaced_model_file_fails_the_checksum()
    {
        var folder = _fixture.Folder("vib", "1");
        File.AppendAllText(Path.Combine(folder, BundleFiles.Model), "tampered");
        Rejected(folder).Reason.Should().Be(RejectionReason.ChecksumMismatch);
    }

    [Fact]
    public void Edited_manifest_breaks_the_signature()
    {
        var folder = _fixture.Folder("vib", "1");
        var manifest = Path.Combine(folder, BundleFiles.Manifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"1\"", "\"2\"", StringComparison.Ordinal));
        Rejected(folder).Reason.Should().Be(RejectionReason.UntrustedKey);
    }

    [Fact]
    public void Signature_by_an_untrusted_key_is_refused()
    {
        var (otherPrivate, _) = BundleSignature.GenerateKeyPair();
        Rejected(_fixture.Folder("vib", "1", key: otherPrivate)).Message.Should().Contain("not made by any trusted key");
    }

    [Fact]
    public void Unsigned_bundle_is_refused_unless_explicitly_allowed()
    {
        var folder = _fixture.Folder("vib", "1", sign: false);
        Rejected(folder).Reason.Should().Be(RejectionReason.Unsigned);
        new BundleVerifier([], allowUnsigned: true).Verify(folder).Name.Should().Be("vib");
    }

    [Fact]
    public void Garbage_signature_is_reported_as_such()
    {
        var folder = _fixture.Folder("vib", "1");
        File.WriteAllText(Path.Combine(folder, BundleFiles.Signature), "not base64 !!");
        Rejected(folder).Reason.Should().Be(RejectionReason.BadSignature);
    }

    [Theory]
    [InlineData("""{ "name": "vib", "version": "../../etc", "sha256": "00" }""", "version '../../etc'")]
    [InlineData("""{ "name": "a/b", "version": "1", "sha256": "00" }""", "name 'a/b'")]
    [InlineData("""{ "version": "1" }""", "'name' is required")]
    [InlineData("""{ "name": """, "not valid JSON")]
    public void Invalid_manifest_is_rejected_with_the_reason(string manifest, string expected)
    {
        var folder = _fixture.Folder("vib", "1");
        File.WriteAllText(Path.Combine(folder, BundleFiles.Manifest), manifest);
        var rejection = Rejected(folder);
        rejection.Reason.Should().Be(RejectionReason.InvalidManifest);
        rejection.Message.Should().Contain(expected);
    }

    public void Dispose() => _fixture.Dispose();
}
