using System.Formats.Tar;
using System.Text;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;

namespace EdgeAgent.Tests.Ota;

/// <summary>Builds real bundles on disk: a model file, its manifest, a signature by a generated key.</summary>
public sealed class BundleFixture : IDisposable
{
    public BundleFixture()
    {
        (PrivateKey, PublicKey) = BundleSignature.GenerateKeyPair();
    }

    public TempDirectory Dir { get; } = new("edgeagent-ota");

    public string PrivateKey { get; }

    public string PublicKey { get; }

    /// <summary>A signed bundle folder; the model bytes stand in for an ONNX file (the store does not run it).</summary>
    public string Folder(string name, string version, string? modelContent = null, bool sign = true, string? key = null)
    {
        var folder = Dir.Combine($"{name}-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var model = Path.Combine(folder, BundleFiles.Model);
        File.WriteAllText(model, modelContent ?? $"onnx bytes of {name} {version}");
        var manifest = Encoding.UTF8.GetBytes($$"""{ "name": "{{name}}", "version": "{{version}}", "sha256": "{{BundleSignature.Sha256Hex(model)}}" }""");
        File.WriteAllBytes(Path.Combine(folder, BundleFiles.Manifest), manifest);
        if (sign)
        {
            File.WriteAllText(Path.Combine(folder, BundleFiles.Signature), BundleSignature.Sign(key ?? PrivateKey, manifest));
        }

        return folder;
    }

    public string Tar(string folder, params (string Name, string Content)[] extra)
    {
        var path = folder + ".tar";
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var file in Directory.GetFiles(folder))
        {
            writer.WriteEntry(file, Path.GetFileName(file));
        }

        foreach (var (name, content) in extra)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            writer.WriteEntry(entry);
        }

        return path;
    }

    public void Dispose() => Dir.Dispose();
}
