using System.Security.Cryptography;
using System.Text;

namespace EdgeAgent.Ota;

/// <summary>
/// ECDSA P-256 signatures over the SHA-256 of model.json. model.json carries the SHA-256 of model.onnx, so one
/// signature covers both. The signature file is base64 of the IEEE P1363 (r||s) form.
/// </summary>
public static class BundleSignature
{
    public static (string PrivateKeyPem, string PublicKeyPem) GenerateKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    public static string Sign(string privateKeyPem, ReadOnlySpan<byte> manifest)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256)
        {
            throw new CryptographicException($"the signing key must be ECDSA P-256, got a {key.KeySize}-bit key");
        }

        return Convert.ToBase64String(key.SignHash(SHA256.HashData(manifest)));
    }

    /// <summary>Returns the index of the trusted key that made the signature, or -1.</summary>
    public static int FindSigner(ReadOnlySpan<byte> manifest, string signatureText, IReadOnlyList<string> trustedPublicKeysPem)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText.Trim());
        }
        catch (FormatException)
        {
            return -1;
        }

        var digest = SHA256.HashData(manifest);
        for (var i = 0; i < trustedPublicKeysPem.Count; i++)
        {
            // Keys are checked at start (CheckPublicKey); one that still does not import verifies nothing, and a
            // bundle must never be able to make verification throw.
            using var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(trustedPublicKeysPem[i]);
                if (key.KeySize == 256 && key.VerifyHash(digest, signature))
                {
                    return i;
                }
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
            }
        }

        return -1;
    }

    /// <summary>Null when the PEM text is an ECDSA P-256 public key; otherwise what it is instead, in plain words.</summary>
    public static string? CheckPublicKey(string pem)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return pem.Contains("RSA", StringComparison.Ordinal) || IsRsa(pem)
                ? "is an RSA key; bundles are signed with ECDSA P-256 ('edgeagent models keygen' makes one)"
                : $"is not an ECDSA P-256 public key in PEM form ({ex.Message})";
        }

        return key.KeySize == 256 ? null : $"is an ECDSA key of {key.KeySize} bits; bundles are signed with ECDSA P-256";
    }

    private static bool IsRsa(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static string Sha256Hex(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    public static string Sha256Hex(string file)
    {
        using var stream = File.OpenRead(file);
        return Sha256Hex(stream);
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
