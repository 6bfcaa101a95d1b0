using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c> for a camera pipeline: the pipeline's own ffmpeg arguments decode a video file once, as
/// fast as it goes, and every frame, in order and none dropped, goes through the same motion filter, preprocessing,
/// model, scorer and alert logic as the daemon; the events are printed as JSON lines. Time is the video's own: frame
/// n is at n / fps from the file's creation_time tag (from 1970-01-01 when it has none), for event times and for
/// the motion filter's periodic frame alike, so two runs print the same events.
/// </summary>
internal static class CameraReplay
{
    public static Task<int> RunAsync(LoadedConfig loaded, PipelineOptions pipeline, string file, string? modelOverride, bool json, CancellationToken cancellationToken)
    {
        var camera = pipeline.Camera!;
        var modelPath = modelOverride is not null ? Path.GetFullPath(modelOverride)
            : pipeline.Model.Path.Length > 0 ? PipelineModelLoader.Resolve(pipeline.Model.Path)
            : throw new AgentStartupException($"pipeline '{pipeline.Name}' has no model.path; give one with --model", ExitCodes.Usage);
        using var runtime = InferenceRuntime.Create(loaded.Options.Inference);
        var printer = new ReplayCommand.EventPrinter(Console.Out);
        using var scoring = CameraPipelineFactory.Create(pipeline, loaded.Options.DeviceId, runtime, modelPath, printer);
        var options = new CameraOptions
        {
            Input = Path.GetFullPath(file), Width = camera.Width, Height = camera.Height, PixelFormat = camera.PixelFormat, MaxFps = camera.MaxFps,
            ReadAtNativeRate = false, FfmpegPath = camera.FfmpegPath, StallTimeoutSeconds = camera.StallTimeoutSeconds, DecoderArguments = camera.DecoderArguments,
        };
        var probe = VideoProbe.Run(camera.FfmpegPath, options.Input);
        // maxFps makes ffmpeg emit frames at exactly that rate; otherwise the file's own rate.
        var fps = camera.MaxFps > 0 ? camera.MaxFps : probe.FramesPerSecond ?? 0;
        if (fps <= 0)
        {
            Console.Error.WriteLine($"edgeagent: the frame rate of '{file}' is unknown (ffprobe did not tell); set camera.maxFps");
            return Task.FromResult(ExitCodes.DataError);
        }

        var origin = (probe.CreationTimeUtc ?? DateTime.UnixEpoch).Ticks;
        var clock = Stopwatch.StartNew();
        using var reader = new VideoFileReader(options);
        while (reader.TryRead())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var offset = (long)Math.Round((reader.FramesRead - 1) * TimeSpan.TicksPerSecond / fps);
            scoring.OnFrame(reader.Frame, (long)((reader.FramesRead - 1) / fps * Stopwatch.Frequency), origin + offset);
        }

        clock.Stop();
        Console.Out.Flush();
        if (reader.FramesRead == 0)
        {
            Console.Error.WriteLine($"edgeagent: no frames could be read from '{file}': ffmpeg exited with {reader.ExitCode}: {reader.LastErrors}");
            return Task.FromResult(ExitCodes.DataError);
        }

        if (reader.ExitCode != 0 || reader.PartialBytes > 0)
        {
            Console.Error.WriteLine($"edgeagent: warning: '{file}' ends early or damaged (ffmpeg exit {reader.ExitCode}, {reader.PartialBytes} bytes of an incomplete last frame): {reader.LastErrors}");
        }

        WriteSummary(json, file, reader.FramesRead, scoring.FramesScored, scoring.FramesSkipped, printer.Count, clock.Elapsed);
        return Task.FromResult(ExitCodes.Ok);
    }

    private static void WriteSummary(bool json, string file, long frames, long scored, long skipped, int events, TimeSpan elapsed)
    {
        var rate = frames / Math.Max(elapsed.TotalSeconds, 1e-9);
        if (!json)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {frames} frames ({scored} scored by the model, {skipped} still frames passed by the motion filter, none dropped), {events} events in {elapsed.TotalMilliseconds:0} ms ({rate:0} frames/s)"));
            return;
        }

        using var writer = new Utf8JsonWriter(Console.OpenStandardOutput());
        writer.WriteStartObject();
        writer.WriteString("type", "summary");
        writer.WriteString("input", Path.GetFileName(file));
        writer.WriteNumber("frames", frames);
        writer.WriteNumber("dropped", 0);
        writer.WriteNumber("scored", scored);
        writer.WriteNumber("motion_skipped", skipped);
        writer.WriteNumber("events", events);
        writer.WriteNumber("elapsed_ms", Math.Round(elapsed.TotalMilliseconds, 3));
        writer.WriteNumber("frames_per_second", Math.Round(rate, 1));
        writer.WriteEndObject();
        writer.Flush();
        Console.Out.WriteLine();
    }
}
