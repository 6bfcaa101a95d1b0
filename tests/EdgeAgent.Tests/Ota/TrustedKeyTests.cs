using System.Security.Cryptography;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>Issue 17, defect 1: an RSA key in ota.trustedKeys fails check-config clearly and never makes verification throw.</summary>
public sealed class TrustedKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-trusted-keys");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_RSA_trusted_key_fails_check_config_with_exit_78_and_says_why()
    {
        using var rsa = RSA.Create(2048);
        var key = _dir.Write("rsa.pub", rsa.ExportSubjectPublicKeyInfoPem());
        var (code, stdout, stderr) = await AgentProcess.RunAsync(["check-config", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"ota.trustedKeys[0]={key}"]);
        code.Should().Be(78, stdout + stderr);
        (stdout + stderr).Should().Contain("ota.trustedKeys[0]").And.Contain("RSA");
    }

    [Fact]
    public void Verification_with_an_RSA_or_garbage_key_finds_no_signer_instead_of_throwing()
    {
        using var rsa = RSA.Create(2048);
        var (privateKey, publicKey) = BundleSignature.GenerateKeyPair();
        var manifest = "{}"u8.ToArray();
        var signature = BundleSignature.Sign(privateKey, manifest);
        BundleSignature.FindSigner(manifest, signature, [rsa.ExportSubjectPublicKeyInfoPem(), "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----", publicKey])
            .Should().Be(2);
        BundleSignature.CheckPublicKey(rsa.ExportSubjectPublicKeyInfoPem()).Should().Contain("RSA");
        BundleSignature.CheckPublicKey(publicKey).Should().BeNull();

        var errors = new List<ConfigError>();
        new OtaOptions { TrustedKeys = [rsa.ExportSubjectPublicKeyInfoPem()] }.Validate("ota", errors);
        errors.Should().ContainSingle().Which.Message.Should().Contain("RSA");
    }
}
