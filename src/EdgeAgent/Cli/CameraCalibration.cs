using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent calibrate-camera</c>'s part: learns the bundled scene-anomaly model (<see cref="SceneModel"/>) for a
/// fixed camera from normal footage decoded with the pipeline's own capture arguments, and writes model.onnx (float
/// input), model.uint8.onnx and model.json.
/// </summary>
internal sealed class CameraCalibration : ICalibration
{
    private readonly Option<int> _patch = new("--patch") { Description = "Patch size in pixels; the camera width and height must be multiples of it.", DefaultValueFactory = _ => 8 };
    private readonly Option<int> _maxFrames = new("--max-frames") { Description = "Read at most this many frames.", DefaultValueFactory = _ => 5000 };

    public PipelineKind Kind => PipelineKind.Camera;

    public (string Verb, string Description, string Input, string Output) Words =>
        ("calibrate-camera", "Learn the scene-anomaly model of a fixed camera from normal footage.",
         "Normal footage: a video file ffmpeg can read.", "Directory for model.onnx, model.uint8.onnx and model.json.");

    public double DefaultMargin => 2;

    public IEnumerable<Option> Options => [_patch, _maxFrames];

    public Func<CancellationToken, Task<string>> Prepare(ParseResult result, CalibrationTarget target)
    {
        var camera = target.Pipeline.Camera!;
        if (camera.PixelFormat != CameraPixelFormat.Gray)
        {
            throw new ConfigurationException($"the scene model reads grey frames: set pipelines.camera.pixelFormat to gray for pipeline '{target.Pipeline.Name}'");
        }

        return cancellationToken =>
        {
            var frames = ReadFrames(camera, target.Input, result.GetValue(_maxFrames), cancellationToken);
            var model = SceneModel.Fit(frames, camera.Width, camera.Height, result.GetValue(_patch));
            var maxNormal = frames.Max(f => model.Score(f));
            // The floor keeps a near-noiseless calibration video from giving a threshold that a small lighting change crosses.
            var threshold = Math.Max(maxNormal, 4) * target.Margin;
            Directory.CreateDirectory(target.Directory);
            var modelPath = model.ToOnnx(byteInput: false).Save(Path.Combine(target.Directory, "model.onnx"));
            model.ToOnnx(byteInput: true).Save(Path.Combine(target.Directory, "model.uint8.onnx"));
            WriteManifest(Path.Combine(target.Directory, "model.json"), target.Name, target.Version, modelPath, model, frames.Count, maxNormal, threshold);
            return Task.FromResult(string.Create(CultureInfo.InvariantCulture,
                $"calibrated {target.Pipeline.Name} on {frames.Count} frames: {model.PatchesX}x{model.PatchesY} patches, highest normal score {maxNormal:0.###}, threshold {threshold:0.###}; wrote {target.Directory}"));
        };
    }

    private static List<byte[]> ReadFrames(CameraOptions camera, string file, int maxFrames, CancellationToken cancellationToken)
    {
        // Every frame is read, none dropped as a live camera's newest-wins hand-off would: the model is reproducible.
        using var reader = VideoFileReader.Open(camera, file);
        var frames = new List<byte[]>();
        while (frames.Count < maxFrames && reader.TryRead())
        {
            cancellationToken.ThrowIfCancellationRequested();
            frames.Add(reader.Frame.ToArray());
        }

        return frames.Count > 0 ? frames : throw new InvalidDataException($"no frames could be read from '{file}': {reader.LastErrors}");
    }

    private static void WriteManifest(string path, string name, string version, string modelPath, SceneModel model, int frames, double maxNormal, double threshold)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("version", version);
        json.WriteString("sha256", BundleSignature.Sha256Hex(modelPath));
        json.WriteString("kind", "camera-scene");
        json.WriteNumber("width", model.Width);
        json.WriteNumber("height", model.Height);
        json.WriteNumber("patch", model.Patch);
        json.WriteNumber("normalFrames", frames);
        json.WriteNumber("maxNormalScore", Math.Round(maxNormal, 6));
        json.WriteNumber("threshold", Math.Round(threshold, 6));
        json.WriteEndObject();
    }
}
