using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>
/// Turns a packed HWC camera frame (rgb24, bgr24 or gray) into a model's input tensor, written straight into a
/// caller-provided span (the model's pinned input buffer): NCHW or NHWC, float with (x·scale − mean)/std or uint8
/// unchanged for quantized models. A frame of another size is resized (nearest neighbour) and, when the aspect
/// ratio differs, letterboxed with a constant pad. All tables and the staging buffer are built here; the per-frame
/// methods allocate nothing.
/// </summary>
public sealed partial class ImagePreprocessor
{
    private readonly int _channels;
    private readonly byte[]? _staging;
    private readonly int[] _sourceRows;
    private readonly int[] _sourceColumns;
    private readonly float[] _scale48 = new float[48];
    private readonly float[] _bias48 = new float[48];
    private readonly float[] _channelScale = new float[3];
    private readonly float[] _channelBias = new float[3];

    /// <param name="mean">Per-channel mean after scaling (e.g. 0.485, 0.456, 0.406); default 0.</param>
    /// <param name="std">Per-channel standard deviation after scaling (e.g. 0.229, 0.224, 0.225); default 1.</param>
    /// <param name="scale">Applied to each byte first; 1/255 maps to 0..1.</param>
    public ImagePreprocessor(
        int sourceWidth,
        int sourceHeight,
        int channels,
        int targetWidth,
        int targetHeight,
        TensorLayout layout,
        bool letterbox = true,
        byte padValue = 114,
        ReadOnlySpan<float> mean = default,
        ReadOnlySpan<float> std = default,
        float scale = 1f / 255f)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image tensor has 1 (grey) or 3 (colour) channels");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);
        _channels = channels;
        Layout = layout;
        Geometry = LetterboxGeometry.Compute(sourceWidth, sourceHeight, targetWidth, targetHeight, letterbox);
        for (var c = 0; c < channels; c++)
        {
            var m = mean.IsEmpty ? 0f : mean[mean.Length == 1 ? 0 : c];
            var s = std.IsEmpty ? 1f : std[std.Length == 1 ? 0 : c];
            if (s == 0f)
            {
                throw new ArgumentException("a standard deviation of 0 divides by zero", nameof(std));
            }

            _channelScale[c] = scale / s;
            _channelBias[c] = -m / s;
        }

        // 48 bytes = 16 RGB pixels = 3 vectors of 16: one period of the channel pattern for the interleaved kernel.
        for (var i = 0; i < 48; i++)
        {
            _scale48[i] = _channelScale[i % channels];
            _bias48[i] = _channelBias[i % channels];
        }

        _sourceRows = new int[Geometry.ContentHeight];
        _sourceColumns = new int[Geometry.ContentWidth];
        for (var y = 0; y < _sourceRows.Length; y++)
        {
            _sourceRows[y] = Math.Min(sourceHeight - 1, (int)((y + 0.5) * sourceHeight / Geometry.ContentHeight));
        }

        for (var x = 0; x < _sourceColumns.Length; x++)
        {
            _sourceColumns[x] = Math.Min(sourceWidth - 1, (int)((x + 0.5) * sourceWidth / Geometry.ContentWidth)) * channels;
        }

        if (sourceWidth != targetWidth || sourceHeight != targetHeight)
        {
            // The padding never changes, so it is written once; each frame only rewrites the content area.
            _staging = GC.AllocateArray<byte>(targetWidth * targetHeight * channels, pinned: true);
            _staging.AsSpan().Fill(padValue);
        }
    }

    public LetterboxGeometry Geometry { get; }

    public TensorLayout Layout { get; }

    public int SourceBytes => Geometry.SourceWidth * Geometry.SourceHeight * _channels;

    /// <summary>Elements of the model input: width × height × channels.</summary>
    public int TensorLength => Geometry.TargetWidth * Geometry.TargetHeight * _channels;

    /// <summary>Float input: (byte·scale − mean)/std per channel, in <see cref="Layout"/>.</summary>
    public void Process(ReadOnlySpan<byte> frame, Span<float> tensor)
    {
        CheckLengths(frame.Length, tensor.Length);
        var pixels = Resample(frame);
        if (Layout == TensorLayout.Nhwc || _channels == 1)
        {
            NormalizeInterleaved(pixels, tensor);
        }
        else
        {
            NormalizePlanar(pixels, tensor);
        }
    }

    /// <summary>uint8 input for quantized models: bytes unchanged, in <see cref="Layout"/>.</summary>
    public void Process(ReadOnlySpan<byte> frame, Span<byte> tensor)
    {
        CheckLengths(frame.Length, tensor.Length);
        var pixels = Resample(frame);
        if (Layout == TensorLayout.Nhwc || _channels == 1)
        {
            pixels.CopyTo(tensor);
        }
        else
        {
            DeinterleaveBytes(pixels, tensor);
        }
    }

    private void CheckLengths(int frameLength, int tensorLength)
    {
        if (frameLength != SourceBytes)
        {
            throw new ArgumentException($"frame has {frameLength} bytes, expected {SourceBytes} ({Geometry.SourceWidth}x{Geometry.SourceHeight}x{_channels})");
        }

        if (tensorLength != TensorLength)
        {
            throw new ArgumentException($"tensor has {tensorLength} elements, expected {TensorLength} ({Geometry.TargetWidth}x{Geometry.TargetHeight}x{_channels})");
        }
    }

    /// <summary>The frame at the target size (letterboxed), or the frame itself when it already is.</summary>
    private ReadOnlySpan<byte> Resample(ReadOnlySpan<byte> frame)
    {
        if (_staging is null)
        {
            return frame;
        }

        var channels = _channels;
        var sourceStride = Geometry.SourceWidth * channels;
        var targetStride = Geometry.TargetWidth * channels;
        var staging = _staging.AsSpan();
        var columns = _sourceColumns;
        var previousRow = -1;
        for (var y = 0; y < _sourceRows.Length; y++)
        {
            var target = staging.Slice(((Geometry.PadY + y) * targetStride) + (Geometry.PadX * channels), columns.Length * channels);
            if (_sourceRows[y] == previousRow)
            {
                // Upscaling repeats source rows: copy the row just built.
                staging.Slice(((Geometry.PadY + y - 1) * targetStride) + (Geometry.PadX * channels), target.Length).CopyTo(target);
                continue;
            }

            previousRow = _sourceRows[y];
            var source = frame.Slice(previousRow * sourceStride, sourceStride);
            CopyRow(source, target, columns, channels);
        }

        return staging;
    }

    /// <summary>Gathers the nearest source pixel of each target column; the column table was checked at construction.</summary>
    private static void CopyRow(ReadOnlySpan<byte> source, Span<byte> target, int[] columns, int channels)
    {
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(target);
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        if (channels == 3)
        {
            for (var x = 0; x < columns.Length; x++)
            {
                ref var pixel = ref Unsafe.Add(ref from, Unsafe.Add(ref column, x));
                ref var output = ref Unsafe.Add(ref to, x * 3);
                // Two bytes and one, rather than three single-byte moves.
                Unsafe.WriteUnaligned(ref output, Unsafe.ReadUnaligned<ushort>(ref pixel));
                Unsafe.Add(ref output, 2) = Unsafe.Add(ref pixel, 2);
            }
        }
        else
        {
            for (var x = 0; x < columns.Length; x++)
            {
                Unsafe.Add(ref to, x) = Unsafe.Add(ref from, Unsafe.Add(ref column, x));
            }
        }
    }
}
