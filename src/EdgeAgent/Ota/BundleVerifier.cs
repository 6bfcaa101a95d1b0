using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Ota;

/// <summary>Checks a staged bundle: manifest, checksum of the model, and a signature by a trusted key.</summary>
public sealed class BundleVerifier
{
    private readonly IReadOnlyList<string> _trustedKeys;
    private readonly bool _allowUnsigned;

    public BundleVerifier(IReadOnlyList<string> trustedPublicKeysPem, bool allowUnsigned)
    {
        _trustedKeys = trustedPublicKeysPem;
        _allowUnsigned = allowUnsigned;
    }

    public ModelManifest Verify(string staged)
    {
        var manifestBytes = File.ReadAllBytes(Path.Combine(staged, BundleFiles.Manifest));
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Parse(manifestBytes);
        }
        catch (InvalidDataException ex)
        {
            throw new OtaRejectedException(RejectionReason.InvalidManifest, ex.Message, ex);
        }

        var actual = BundleSignature.Sha256Hex(Path.Combine(staged, BundleFiles.Model));
        if (actual != manifest.Sha256)
        {
            throw new OtaRejectedException(RejectionReason.ChecksumMismatch,
                $"model.onnx has SHA-256 {actual} but model.json says {manifest.Sha256}: the model file is corrupted or was replaced");
        }

        var signaturePath = Path.Combine(staged, BundleFiles.Signature);
        if (!File.Exists(signaturePath))
        {
            if (_allowUnsigned)
            {
                return manifest;
            }

            throw new OtaRejectedException(RejectionReason.Unsigned,
                "the bundle has no model.sig and unsigned models are refused (sign it with 'edgeagent models sign', or set ota.allowUnsigned)");
        }

        if (_trustedKeys.Count == 0 && !_allowUnsigned)
        {
            throw new OtaRejectedException(RejectionReason.UntrustedKey, "no trusted keys are configured (ota.trustedKeys), so no signature can be accepted");
        }

        var signature = File.ReadAllText(signaturePath);
        if (!IsWellFormed(signature))
        {
            throw new OtaRejectedException(RejectionReason.BadSignature, "model.sig is not a base64 ECDSA P-256 signature");
        }

        if (BundleSignature.FindSigner(manifestBytes, signature, _trustedKeys) < 0 && !_allowUnsigned)
        {
            throw new OtaRejectedException(RejectionReason.UntrustedKey,
                "model.sig was not made by any trusted key (ota.trustedKeys), or model.json was changed after signing");
        }

        return manifest;
    }

    private static bool IsWellFormed(string signature)
    {
        Span<byte> buffer = stackalloc byte[128];
        return Convert.TryFromBase64String(signature.Trim(), buffer, out var length) && length == 64;
    }
}
