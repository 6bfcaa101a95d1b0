using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>
/// The vector kernels. 16 pixels (48 bytes, three 128-bit vectors) per step: byte shuffles split the interleaved
/// channels, widening turns bytes into floats, one multiply-add normalises. Vector128 maps to SSSE3 on x64 and NEON
/// on the Pi and Jetson; a scalar loop finishes the tail.
/// </summary>
public sealed partial class ImagePreprocessor
{
    private const byte Zero = 0xFF;

    private void NormalizeInterleaved(ReadOnlySpan<byte> pixels, Span<float> tensor)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var source = ref MemoryMarshal.GetReference(pixels);
            ref var target = ref MemoryMarshal.GetReference(tensor);
            ref var scale = ref MemoryMarshal.GetArrayDataReference(_scale48);
            ref var bias = ref MemoryMarshal.GetArrayDataReference(_bias48);
            for (; i <= pixels.Length - 48; i += 48)
            {
                for (var part = 0; part < 48; part += 16)
                {
                    var bytes = Vector128.LoadUnsafe(ref source, (nuint)(i + part));
                    WidenAndStore(bytes, ref Unsafe.Add(ref target, i + part), ref Unsafe.Add(ref scale, part), ref Unsafe.Add(ref bias, part));
                }
            }
        }

        for (; i < pixels.Length; i++)
        {
            var c = i % _channels;
            tensor[i] = (pixels[i] * _channelScale[c]) + _channelBias[c];
        }
    }

    private void NormalizePlanar(ReadOnlySpan<byte> pixels, Span<float> tensor)
    {
        var plane = pixels.Length / 3;
        var p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var source = ref MemoryMarshal.GetReference(pixels);
            ref var r = ref MemoryMarshal.GetReference(tensor);
            ref var g = ref Unsafe.Add(ref r, plane);
            ref var b = ref Unsafe.Add(ref r, 2 * plane);
            var scaleR = Vector128.Create(_channelScale[0]);
            var scaleG = Vector128.Create(_channelScale[1]);
            var scaleB = Vector128.Create(_channelScale[2]);
            var biasR = Vector128.Create(_channelBias[0]);
            var biasG = Vector128.Create(_channelBias[1]);
            var biasB = Vector128.Create(_channelBias[2]);
            for (; p <= plane - 16; p += 16)
            {
                Deinterleave(ref Unsafe.Add(ref source, p * 3), out var red, out var green, out var blue);
                WidenAndStore(red, ref Unsafe.Add(ref r, p), scaleR, biasR);
                WidenAndStore(green, ref Unsafe.Add(ref g, p), scaleG, biasG);
                WidenAndStore(blue, ref Unsafe.Add(ref b, p), scaleB, biasB);
            }
        }

        for (; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                tensor[(c * plane) + p] = (pixels[(p * 3) + c] * _channelScale[c]) + _channelBias[c];
            }
        }
    }

    private static void DeinterleaveBytes(ReadOnlySpan<byte> pixels, Span<byte> tensor)
    {
        var plane = pixels.Length / 3;
        var p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var source = ref MemoryMarshal.GetReference(pixels);
            ref var r = ref MemoryMarshal.GetReference(tensor);
            for (; p <= plane - 16; p += 16)
            {
                Deinterleave(ref Unsafe.Add(ref source, p * 3), out var red, out var green, out var blue);
                red.StoreUnsafe(ref r, (nuint)p);
                green.StoreUnsafe(ref r, (nuint)(plane + p));
                blue.StoreUnsafe(ref r, (nuint)((2 * plane) + p));
            }
        }

        for (; p < plane; p++)
        {
            tensor[p] = pixels[p * 3];
            tensor[plane + p] = pixels[(p * 3) + 1];
            tensor[(2 * plane) + p] = pixels[(p * 3) + 2];
        }
    }

    /// <summary>Splits 16 interleaved 3-byte pixels into one vector per channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave(ref byte source, out Vector128<byte> first, out Vector128<byte> second, out Vector128<byte> third)
    {
        var a = Vector128.LoadUnsafe(ref source);
        var b = Vector128.LoadUnsafe(ref source, 16);
        var c = Vector128.LoadUnsafe(ref source, 32);

        // Constant index vectors let the JIT emit one pshufb (x64) or tbl (arm64) per shuffle; 0xFF selects zero.
        first = Vector128.Shuffle(a, Vector128.Create((byte)0, 3, 6, 9, 12, 15, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero))
                | Vector128.Shuffle(b, Vector128.Create(Zero, Zero, Zero, Zero, Zero, Zero, 2, 5, 8, 11, 14, Zero, Zero, Zero, Zero, Zero))
                | Vector128.Shuffle(c, Vector128.Create(Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, 1, 4, 7, 10, 13));
        second = Vector128.Shuffle(a, Vector128.Create((byte)1, 4, 7, 10, 13, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero))
                 | Vector128.Shuffle(b, Vector128.Create(Zero, Zero, Zero, Zero, Zero, 0, 3, 6, 9, 12, 15, Zero, Zero, Zero, Zero, Zero))
                 | Vector128.Shuffle(c, Vector128.Create(Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, 2, 5, 8, 11, 14));
        third = Vector128.Shuffle(a, Vector128.Create((byte)2, 5, 8, 11, 14, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero))
                | Vector128.Shuffle(b, Vector128.Create(Zero, Zero, Zero, Zero, Zero, 1, 4, 7, 10, 13, Zero, Zero, Zero, Zero, Zero, Zero))
                | Vector128.Shuffle(c, Vector128.Create(Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, Zero, 0, 3, 6, 9, 12, 15));
    }

    /// <summary>16 bytes → 16 floats (x·scale + bias) with one scale/bias for all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidenAndStore(Vector128<byte> bytes, ref float target, Vector128<float> scale, Vector128<float> bias)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            // AVX2: zero-extend straight to 8 x int32 twice instead of three 128-bit widening steps.
            var wide = Vector256.Create(scale, scale);
            var offset = Vector256.Create(bias, bias);
            var words = Vector256.WidenLower(bytes.ToVector256Unsafe());
            Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(Vector256.WidenLower(words).AsInt32()), wide, offset).StoreUnsafe(ref target);
            Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(Vector256.WidenUpper(words).AsInt32()), wide, offset).StoreUnsafe(ref target, 8);
            return;
        }

        var (low, high) = Vector128.Widen(bytes);
        var (q0, q1) = Vector128.Widen(low);
        var (q2, q3) = Vector128.Widen(high);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q0.AsInt32()), scale, bias).StoreUnsafe(ref target);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q1.AsInt32()), scale, bias).StoreUnsafe(ref target, 4);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q2.AsInt32()), scale, bias).StoreUnsafe(ref target, 8);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q3.AsInt32()), scale, bias).StoreUnsafe(ref target, 12);
    }

    /// <summary>16 bytes → 16 floats with per-element scale/bias read from the 48-element channel pattern.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidenAndStore(Vector128<byte> bytes, ref float target, ref float scale, ref float bias)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var words = Vector256.WidenLower(bytes.ToVector256Unsafe());
            Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(Vector256.WidenLower(words).AsInt32()), Vector256.LoadUnsafe(ref scale), Vector256.LoadUnsafe(ref bias)).StoreUnsafe(ref target);
            Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(Vector256.WidenUpper(words).AsInt32()), Vector256.LoadUnsafe(ref scale, 8), Vector256.LoadUnsafe(ref bias, 8)).StoreUnsafe(ref target, 8);
            return;
        }

        var (low, high) = Vector128.Widen(bytes);
        var (q0, q1) = Vector128.Widen(low);
        var (q2, q3) = Vector128.Widen(high);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q0.AsInt32()), Vector128.LoadUnsafe(ref scale), Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref target);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q1.AsInt32()), Vector128.LoadUnsafe(ref scale, 4), Vector128.LoadUnsafe(ref bias, 4)).StoreUnsafe(ref target, 4);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q2.AsInt32()), Vector128.LoadUnsafe(ref scale, 8), Vector128.LoadUnsafe(ref bias, 8)).StoreUnsafe(ref target, 8);
        Vector128.MultiplyAddEstimate(Vector128.ConvertToSingle(q3.AsInt32()), Vector128.LoadUnsafe(ref scale, 12), Vector128.LoadUnsafe(ref bias, 12)).StoreUnsafe(ref target, 12);
    }
}
