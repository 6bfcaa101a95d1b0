using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent calibrate-camera</c>: learns the bundled scene-anomaly model (<see cref="SceneModel"/>) for a fixed
/// camera from normal footage decoded with the pipeline's own capture arguments, sets the threshold from the normal
/// frames' scores, and writes model.onnx (float input), model.uint8.onnx and model.json.
/// </summary>
public static class CalibrateCameraCommand
{
    public static Command Create()
    {
        var config = new ConfigArguments();
        var pipelineName = new Option<string?>("--pipeline", "-p") { Description = "The camera pipeline to calibrate (needed when there are several)." };
        var input = new Option<string>("--input", "-i") { Description = "Normal footage: a video file ffmpeg can read.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Directory for model.onnx, model.uint8.onnx and model.json.", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name in model.json. Default: the pipeline's name." };
        var version = new Option<string>("--version") { Description = "Model version in model.json.", DefaultValueFactory = _ => "1.0.0" };
        var margin = new Option<double>("--margin") { Description = "Threshold = the highest normal score times this.", DefaultValueFactory = _ => 2 };
        var patch = new Option<int>("--patch") { Description = "Patch size in pixels; the camera width and height must be multiples of it.", DefaultValueFactory = _ => 8 };
        var maxFrames = new Option<int>("--max-frames") { Description = "Read at most this many frames.", DefaultValueFactory = _ => 5000 };
        var command = new Command("calibrate-camera", "Learn the scene-anomaly model of a fixed camera from normal footage.")
        {
            pipelineName, input, output, name, version, margin, patch, maxFrames,
        };
        config.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var loaded = config.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            var cameras = loaded.Options.Pipelines.Where(p => p.Kind == PipelineKind.Camera && p.Camera is not null).ToList();
            var wanted = result.GetValue(pipelineName);
            var pipeline = wanted is null ? cameras.Count == 1 ? cameras[0] : null : cameras.FirstOrDefault(p => p.Name == wanted);
            if (pipeline is null)
            {
                Console.Error.WriteLine($"edgeagent: name a camera pipeline with --pipeline (there are: {string.Join(", ", cameras.Select(p => p.Name))})");
                return ExitCodes.Usage;
            }

            var camera = pipeline.Camera!;
            if (camera.PixelFormat != CameraPixelFormat.Gray)
            {
                Console.Error.WriteLine($"edgeagent: the scene model reads grey frames: set pipelines.camera.pixelFormat to gray for pipeline '{pipeline.Name}'");
                return ExitCodes.Config;
            }

            var file = result.GetValue(input)!;
            if (!PipelineArguments.InputExists(file))
            {
                return ExitCodes.DataError;
            }

            return await PipelineArguments.RunAsync(async () =>
            {
                var frames = await ReadFramesAsync(camera, file, result.GetValue(maxFrames), cancellationToken).ConfigureAwait(false);
                var model = SceneModel.Fit(frames, camera.Width, camera.Height, result.GetValue(patch));
                var maxNormal = frames.Max(f => model.Score(f));
                // The floor keeps a near-noiseless calibration video from giving a threshold that a small lighting change crosses.
                var threshold = Math.Max(maxNormal, 4) * result.GetValue(margin);
                var directory = result.GetValue(output)!;
                Directory.CreateDirectory(directory);
                var modelPath = model.ToOnnx(byteInput: false).Save(Path.Combine(directory, "model.onnx"));
                model.ToOnnx(byteInput: true).Save(Path.Combine(directory, "model.uint8.onnx"));
                WriteManifest(Path.Combine(directory, "model.json"), result.GetValue(name) ?? pipeline.Name, result.GetValue(version)!, modelPath, model, frames.Count, maxNormal, threshold);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"calibrated {pipeline.Name} on {frames.Count} frames: {model.PatchesX}x{model.PatchesY} patches, highest normal score {maxNormal:0.###}, threshold {threshold:0.###}; wrote {directory}"));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static async Task<List<byte[]>> ReadFramesAsync(CameraOptions camera, string file, int maxFrames, CancellationToken cancellationToken)
    {
        // The capture's own ffmpeg arguments (same scaling, pixel format and frame-rate limit), reading the file once.
        // Every frame is read, none dropped as a live camera's newest-wins hand-off would: the model is reproducible.
        var options = new CameraOptions
        {
            Input = Path.GetFullPath(file), Width = camera.Width, Height = camera.Height, PixelFormat = camera.PixelFormat, MaxFps = camera.MaxFps,
            ReadAtNativeRate = false, DecoderArguments = camera.DecoderArguments,
        };
        using var process = new Process { StartInfo = FfmpegStartInfo.Create(camera.FfmpegPath, FfmpegArguments.Capture(options), redirectInput: false) };
        process.Start();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var frames = new List<byte[]>();
        var stream = process.StandardOutput.BaseStream;
        while (frames.Count < maxFrames)
        {
            var frame = new byte[options.FrameBytes];
            var read = await stream.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < frame.Length)
            {
                break;
            }

            frames.Add(frame);
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var stderr = await errors.ConfigureAwait(false);
        if (frames.Count == 0)
        {
            throw new InvalidDataException($"no frames could be read from '{file}': {stderr.Trim()}");
        }

        return frames;
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
