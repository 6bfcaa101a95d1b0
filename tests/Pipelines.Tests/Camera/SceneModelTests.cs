using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>The bundled scene model: learnt from ffmpeg-decoded normal frames, its ONNX graph (run by ORT) agrees with the C# reference and flags an object.</summary>
[Collection(InferenceCollection.Name)]
public sealed class SceneModelTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 48;
    private readonly TempDirectory _directory = new("scene-model");
    private readonly RuntimeFixture _fixture;

    public SceneModelTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_graph_scores_like_the_reference_low_on_normal_frames_and_high_with_an_object(bool byteInput)
    {
        var normal = Decode("smptebars=size=320x240:rate=10:duration=3,noise=alls=6:allf=t:all_seed=1");
        var withBox = Decode("smptebars=size=320x240:rate=10:duration=1,drawbox=x=100:y=80:w=80:h=60:color=white:t=fill");
        var model = SceneModel.Fit(normal, Width, Height, 8);
        var path = model.ToOnnx(byteInput).Save(_directory.Combine($"scene-{byteInput}.onnx"));
        using var session = _fixture.Runtime.LoadModel(path);
        var input = session.Inputs[0];

        double Run(byte[] frame)
        {
            if (byteInput)
            {
                frame.CopyTo(input.AsSpan<byte>());
            }
            else
            {
                var tensor = input.AsSpan<float>();
                for (var i = 0; i < frame.Length; i++)
                {
                    tensor[i] = frame[i] / 255f;
                }
            }

            session.Run();
            return session.Outputs[0].AsSpan<float>()[0];
        }

        foreach (var frame in normal.Take(5).Concat(withBox.Take(2)))
        {
            Run(frame).Should().BeApproximately(model.Score(frame), 1e-3 + (model.Score(frame) * 1e-3));
        }

        normal.Max(f => model.Score(f)).Should().BeLessThan(4);
        model.Score(withBox[0]).Should().BeGreaterThan(100);

        // The per-patch scores (snapshots outline the high ones): their maximum is the score, found where the box is
        // (x 20..36, y 16..28 of the 64x48 input: patch columns 2..4, rows 2..3).
        var score = Run(withBox[0]);
        var patches = session.Outputs.Single(o => o.Name == CameraModel.PatchesOutput);
        patches.Shape.ToArray().Should().Equal(1, 1, Height / 8, Width / 8);
        var values = patches.AsSpan<float>().ToArray();
        values.Max().Should().BeApproximately((float)score, 1e-3f);
        var best = Array.IndexOf(values, values.Max());
        (best % (Width / 8)).Should().BeInRange(2, 4);
        (best / (Width / 8)).Should().BeInRange(2, 3);
    }

    public void Dispose() => _directory.Dispose();

    private List<byte[]> Decode(string lavfi)
    {
        var raw = _directory.Combine($"{Guid.NewGuid():N}.gray");
        FfmpegTool.Run("-f", "lavfi", "-i", lavfi, "-vf", $"scale={Width}:{Height}", "-pix_fmt", "gray", "-f", "rawvideo", raw);
        var bytes = File.ReadAllBytes(raw);
        return [.. bytes.Chunk(Width * Height)];
    }
}
