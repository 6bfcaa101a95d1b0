using System.Text;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>NUL-terminated UTF-8 for C strings on cold paths (load, configuration); the hot path uses native copies.</summary>
internal static class Utf8Z
{
    public static byte[] From(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
