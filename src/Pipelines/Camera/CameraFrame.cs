namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// One raw frame in a pinned buffer owned by a <see cref="FrameHandoff"/>. Valid until it is given back with
/// <see cref="FrameHandoff.Return"/>; after that the reader writes the next picture into the same memory.
/// </summary>
public sealed class CameraFrame
{
    private readonly byte[] _buffer;

    internal CameraFrame(int width, int height, CameraPixelFormat format)
    {
        Width = width;
        Height = height;
        Format = format;
        // Pinned so the buffer can later back a native tensor or be read by native code without copying or pinning per frame.
        _buffer = GC.AllocateArray<byte>(width * height * (format == CameraPixelFormat.Gray ? 1 : 3), pinned: true);
    }

    public int Width { get; }

    public int Height { get; }

    public CameraPixelFormat Format { get; }

    public int Channels => Format == CameraPixelFormat.Gray ? 1 : 3;

    /// <summary>Packed pixels, row after row, <see cref="Width"/> × <see cref="Channels"/> bytes per row.</summary>
    public ReadOnlySpan<byte> Pixels => _buffer;

    public ReadOnlyMemory<byte> Memory => _buffer;

    /// <summary>Counts frames received by the capture, across restarts; a gap means frames were dropped.</summary>
    public long Sequence { get; internal set; }

    /// <summary>When the last byte of the frame arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long Timestamp { get; internal set; }

    internal byte[] Buffer => _buffer;
}
