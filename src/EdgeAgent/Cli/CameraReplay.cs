using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Processing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c> for a camera pipeline: the pipeline's own capture decodes a video file once, as fast as
/// it goes, and every frame goes through the same preprocessing, model, scorer and alert logic as the daemon; the
/// events are printed as JSON lines. Event times are video time (frame number / fps) from the replay's start.
/// </summary>
internal static class CameraReplay
{
    public static async Task<int> RunAsync(LoadedConfig loaded, PipelineOptions pipeline, string file, string? modelOverride, bool json, CancellationToken cancellationToken)
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
        var capture = new CameraCapture("replay", options, NullLogger.Instance);
        var fps = camera.MaxFps > 0 ? camera.MaxFps : 10;
        var start = DateTime.UtcNow.Ticks;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var run = capture.RunAsync(stop.Token);
        var frames = 0L;
        while (await capture.Frames.TakeAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            var videoTicks = start + (long)((frame.Sequence - 1) * TimeSpan.TicksPerSecond / fps);
            scoring.OnFrame(frame.Pixels, frame.Timestamp, videoTicks);
            capture.Frames.Return(frame);
            frames++;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await run.ConfigureAwait(false);
        clock.Stop();
        Console.Out.Flush();
        if (frames == 0)
        {
            Console.Error.WriteLine($"edgeagent: no frames could be read from '{file}': {capture.LastError}");
            return ExitCodes.DataError;
        }

        WriteSummary(json, file, frames, capture.Counters.FramesDropped, scoring.FramesScored, printer.Count, clock.Elapsed);
        return ExitCodes.Ok;
    }

    private static void WriteSummary(bool json, string file, long frames, long dropped, long scored, int events, TimeSpan elapsed)
    {
        var rate = frames / Math.Max(elapsed.TotalSeconds, 1e-9);
        if (!json)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {frames} frames ({dropped} dropped by the capture, {scored} scored), {events} events in {elapsed.TotalMilliseconds:0} ms ({rate:0} frames/s)"));
            return;
        }

        using var writer = new Utf8JsonWriter(Console.OpenStandardOutput());
        writer.WriteStartObject();
        writer.WriteString("type", "summary");
        writer.WriteString("input", Path.GetFileName(file));
        writer.WriteNumber("frames", frames);
        writer.WriteNumber("dropped", dropped);
        writer.WriteNumber("scored", scored);
        writer.WriteNumber("events", events);
        writer.WriteNumber("elapsed_ms", Math.Round(elapsed.TotalMilliseconds, 3));
        writer.WriteNumber("frames_per_second", Math.Round(rate, 1));
        writer.WriteEndObject();
        writer.Flush();
        Console.Out.WriteLine();
    }
}
