using EdgeAgent.Hosting;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Ota;

/// <summary>
/// The update steps that need neither the network nor a running pipeline: stage → extract → verify → store →
/// (optionally) activate → prune. Any failure leaves the store as it was and names the reason.
/// </summary>
public sealed class BundleInstaller
{
    private readonly ModelStore _store;
    private readonly OtaOptions _options;
    private readonly BundleVerifier _verifier;

    public BundleInstaller(ModelStore store, OtaOptions options)
    {
        _store = store;
        _options = options;
        _verifier = new BundleVerifier(options.LoadTrustedKeys(), options.AllowUnsigned);
    }

    /// <param name="signature">A model.sig published beside the artifact (desired state) for a bundle that has none.</param>
    public StoredModel Install(string bundle, string? signature = null)
    {
        var staging = _store.CreateStagingDirectory();
        try
        {
            BundleReader.Extract(bundle, staging, _options.MaxArtifactMegabytes * 1024L * 1024L);
            var signaturePath = Path.Combine(staging, BundleFiles.Signature);
            if (signature is not null && !File.Exists(signaturePath))
            {
                File.WriteAllText(signaturePath, signature);
            }

            var manifest = _verifier.Verify(staging);
            TestHooks.PauseAt("staging");
            var stored = _store.Install(staging, manifest);
            _store.Prune(manifest.Name, _options.KeepVersions);
            return stored;
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            throw new OtaRejectedException(RejectionReason.DiskFull, $"no space left on the device while installing '{bundle}'", ex);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // ENOSPC (28) and EDQUOT (122) surface as IOException HResults on Linux.
    private static bool IsDiskFull(IOException ex) => LinuxAbi.Current.IsDiskFull(ex.HResult & 0xFFFF) || ex.Message.Contains("No space left", StringComparison.Ordinal);
}
