using System.Diagnostics;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c>'s camera part: the pipeline's own ffmpeg arguments decode a video file once, as fast as it
/// goes, and every frame, in order and none dropped, goes through the same motion filter, preprocessing, model, scorer
/// and alert logic as the daemon. Time is the video's own: frame n is at n / fps from the file's creation_time tag
/// (from 1970-01-01 when it has none), for event times and for the motion filter's periodic frame alike, so two runs
/// print the same events.
/// </summary>
internal static class CameraReplay
{
    public static Task<ReplaySummary> RunAsync(LoadedConfig loaded, PipelineOptions pipeline, string file, string? modelPath, InferenceRuntime? runtime,
        IOutboundQueue printer, CancellationToken cancellationToken)
    {
        // A camera has no built-in detector: the daemon refuses to start one without a model.
        if (modelPath is null || runtime is null)
        {
            throw new AgentStartupException($"pipeline '{pipeline.Name}' has no model.path; give one with --model", ExitCodes.Usage);
        }

        var camera = pipeline.Camera!;
        using var scoring = CameraPipelineFactory.Create(pipeline, loaded.Options.DeviceId, runtime, modelPath, printer);
        var probe = VideoProbe.Run(camera.FfmpegPath, Path.GetFullPath(file));
        // maxFps makes ffmpeg emit frames at exactly that rate; otherwise the file's own rate.
        var fps = camera.MaxFps > 0 ? camera.MaxFps : probe.FramesPerSecond ?? 0;
        if (fps <= 0)
        {
            throw new InvalidDataException($"the frame rate of '{file}' is unknown (ffprobe did not tell); set camera.maxFps");
        }

        var origin = (probe.CreationTimeUtc ?? DateTime.UnixEpoch).Ticks;
        var clock = Stopwatch.StartNew();
        using var reader = VideoFileReader.Open(camera, file);
        while (reader.TryRead())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var offset = (long)Math.Round((reader.FramesRead - 1) * TimeSpan.TicksPerSecond / fps);
            scoring.OnFrame(reader.Frame, (long)((reader.FramesRead - 1) / fps * Stopwatch.Frequency), origin + offset);
        }

        clock.Stop();
        if (reader.FramesRead == 0)
        {
            throw new InvalidDataException($"no frames could be read from '{file}': ffmpeg exited with {reader.ExitCode}: {reader.LastErrors}");
        }

        if (reader.ExitCode != 0 || reader.PartialBytes > 0)
        {
            Console.Error.WriteLine($"edgeagent: warning: '{file}' ends early or damaged (ffmpeg exit {reader.ExitCode}, {reader.PartialBytes} bytes of an incomplete last frame): {reader.LastErrors}");
        }

        long frames = reader.FramesRead, scored = scoring.FramesScored, still = scoring.FramesSkipped;
        return Task.FromResult(new ReplaySummary("frames", frames,
            $"{frames} frames ({scored} scored by the model, {still} still frames passed by the motion filter, none dropped)",
            [("frames", frames), ("dropped", 0), ("scored", scored), ("motion_skipped", still)], clock.Elapsed));
    }
}
