using EdgeAgent.Pipelines.Preprocessing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Preprocessing;

public sealed class ImagePreprocessorTests
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    public static TheoryData<int, int, int, int, int, TensorLayout, bool> Shapes => new()
    {
        { 224, 224, 3, 224, 224, TensorLayout.Nchw, true },
        { 224, 224, 3, 224, 224, TensorLayout.Nhwc, true },
        { 320, 240, 3, 224, 224, TensorLayout.Nchw, true },
        { 240, 320, 3, 224, 224, TensorLayout.Nhwc, true },
        { 320, 240, 3, 224, 224, TensorLayout.Nchw, false },
        { 37, 29, 3, 50, 50, TensorLayout.Nchw, true },
        { 64, 48, 1, 32, 32, TensorLayout.Nchw, true },
        { 101, 77, 1, 101, 77, TensorLayout.Nhwc, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_output_matches_a_scalar_reference(int sw, int sh, int channels, int tw, int th, TensorLayout layout, bool letterbox)
    {
        var frame = RandomFrame(sw * sh * channels);
        var mean = channels == 3 ? ImageNetMean : [0.5f];
        var std = channels == 3 ? ImageNetStd : [0.25f];
        var preprocessor = new ImagePreprocessor(sw, sh, channels, tw, th, layout, letterbox, 114, mean, std);
        var tensor = new float[tw * th * channels];

        preprocessor.Process(frame, tensor);

        var expected = Reference(frame, sw, sh, channels, tw, th, layout, letterbox, 114);
        for (var i = 0; i < tensor.Length; i++)
        {
            var c = layout == TensorLayout.Nchw ? i / (tw * th) : i % channels;
            var want = ((expected[i] / 255f) - mean[c]) / std[c];
            if (Math.Abs(tensor[i] - want) > 1e-4f)
            {
                tensor[i].Should().BeApproximately(want, 1e-4f, $"element {i} of {layout} {sw}x{sh}->{tw}x{th}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Byte_output_matches_a_scalar_reference(int sw, int sh, int channels, int tw, int th, TensorLayout layout, bool letterbox)
    {
        var frame = RandomFrame(sw * sh * channels);
        var preprocessor = new ImagePreprocessor(sw, sh, channels, tw, th, layout, letterbox, padValue: 7);
        var tensor = new byte[tw * th * channels];

        preprocessor.Process(frame, tensor);

        tensor.Should().Equal(Reference(frame, sw, sh, channels, tw, th, layout, letterbox, 7));
    }

    [Fact]
    public void A_4_by_3_frame_is_letterboxed_into_a_square_with_pad_rows_above_and_below()
    {
        var frame = new byte[320 * 240 * 3];
        frame.AsSpan().Fill(200);
        var preprocessor = new ImagePreprocessor(320, 240, 3, 224, 224, TensorLayout.Nchw, letterbox: true, padValue: 114, scale: 1f);
        var tensor = new float[3 * 224 * 224];

        preprocessor.Process(frame, tensor);

        preprocessor.Geometry.Should().Be(new LetterboxGeometry(320, 240, 224, 224, 224, 168, 0, 28));
        tensor[0].Should().Be(114f, "top-left is padding");
        tensor[(27 * 224) + 100].Should().Be(114f, "row 27 is the last pad row");
        tensor[(28 * 224) + 100].Should().Be(200f, "row 28 is the first picture row");
        tensor[(195 * 224) + 223].Should().Be(200f, "row 195 is the last picture row");
        tensor[(2 * 224 * 224) + (196 * 224)].Should().Be(114f, "row 196 of the blue plane is padding again");
        preprocessor.Geometry.ToFrameY(28f).Should().Be(0f);
        preprocessor.Geometry.ToFrameY(28f + 84f).Should().BeApproximately(0.5f, 1e-6f);
        preprocessor.Geometry.ToFrameX(112f).Should().BeApproximately(0.5f, 1e-6f);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var square = new ImagePreprocessor(224, 224, 3, 224, 224, TensorLayout.Nchw, mean: ImageNetMean, std: ImageNetStd);
        var boxed = new ImagePreprocessor(320, 240, 3, 224, 224, TensorLayout.Nchw);
        var squareFrame = RandomFrame(224 * 224 * 3);
        var boxedFrame = RandomFrame(320 * 240 * 3);
        var floats = GC.AllocateArray<float>(3 * 224 * 224, pinned: true);
        var bytes = GC.AllocateArray<byte>(3 * 224 * 224, pinned: true);
        square.Process(squareFrame, floats);
        boxed.Process(boxedFrame, bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            square.Process(squareFrame, floats);
            square.Process(squareFrame, bytes);
            boxed.Process(boxedFrame, floats);
            boxed.Process(boxedFrame, bytes);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Wrong_sizes_are_refused_with_the_expected_shape()
    {
        var preprocessor = new ImagePreprocessor(64, 48, 3, 32, 32, TensorLayout.Nchw);

        FluentActions.Invoking(() => preprocessor.Process(new byte[10], new float[3 * 32 * 32])).Should().Throw<ArgumentException>().WithMessage("*64x48x3*");
        FluentActions.Invoking(() => preprocessor.Process(new byte[64 * 48 * 3], new float[5])).Should().Throw<ArgumentException>().WithMessage("*32x32x3*");
        FluentActions.Invoking(() => new ImagePreprocessor(64, 48, 4, 32, 32, TensorLayout.Nchw)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static byte[] RandomFrame(int length)
    {
        var frame = new byte[length];
        new Random(length).NextBytes(frame);
        return frame;
    }

    /// <summary>The obvious per-pixel loop: nearest source pixel of each target pixel, pad outside the picture.</summary>
    private static byte[] Reference(byte[] frame, int sw, int sh, int channels, int tw, int th, TensorLayout layout, bool letterbox, byte pad)
    {
        int cw = tw, ch = th, px = 0, py = 0;
        if (letterbox && sw * th != sh * tw)
        {
            var scale = Math.Min((double)tw / sw, (double)th / sh);
            cw = (int)Math.Round(sw * scale);
            ch = (int)Math.Round(sh * scale);
            px = (tw - cw) / 2;
            py = (th - ch) / 2;
        }

        var result = new byte[tw * th * channels];
        for (var y = 0; y < th; y++)
        {
            for (var x = 0; x < tw; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var value = pad;
                    if (x >= px && x < px + cw && y >= py && y < py + ch)
                    {
                        var sx = Math.Min(sw - 1, (int)((x - px + 0.5) * sw / cw));
                        var sy = Math.Min(sh - 1, (int)((y - py + 0.5) * sh / ch));
                        value = frame[(((sy * sw) + sx) * channels) + c];
                    }

                    var index = layout == TensorLayout.Nchw ? (c * tw * th) + (y * tw) + x : (((y * tw) + x) * channels) + c;
                    result[index] = value;
                }
            }
        }

        return result;
    }
}
