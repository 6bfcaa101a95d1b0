using System.Diagnostics;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace EdgeAgent.Metrics;

/// <summary>Per pipeline (label <c>pipeline</c>): what came in, what was rejected and why, the model's time, the alert; cameras' frame rates and restarts.</summary>
internal sealed class PipelineMetrics
{
    private static readonly (BadInput Kind, string Label)[] BadInputs =
        [.. Enum.GetValues<BadInput>().Select(k => (k, Snake(k.ToString())))];

    private readonly Gauge _up;
    private readonly Counter _samples;
    private readonly Counter _windows;
    private readonly Counter _rejected;
    private readonly Counter _sourceSamples;
    private readonly Counter _sourceRejected;
    private readonly Counter _sourceReadErrors;
    private readonly Counter _sourceDeviceLost;
    private readonly Counter _modelRuns;
    private readonly Counter _modelRunSeconds;
    private readonly Counter _modelErrors;
    private readonly Counter _nonFiniteScores;
    private readonly Gauge _alertActive;
    private readonly Gauge _alertSeverity;
    private readonly Gauge _lastScore;
    private readonly Gauge _threshold;
    private readonly Counter _buildFailures;
    private readonly Gauge _fpsIn;
    private readonly Gauge _fpsOut;
    private readonly Counter _frames;
    private readonly Counter _restarts;
    private readonly Counter _stalls;
    private readonly Gauge _cameraState;
    private SensorPipelineService[]? _sensors;
    private CameraPipelineService[]? _cameras;

    public PipelineMetrics(MetricFactory f)
    {
        _up = f.CreateGauge("edgeagent_pipeline_up", "1 while the pipeline runs; 0 while its model cannot be used (see STATUS).", "pipeline", "kind");
        _buildFailures = f.CreateCounter("edgeagent_pipeline_build_failures_total", "Attempts to build the pipeline that failed (model missing, damaged or not fitting).", "pipeline");
        _samples = f.CreateCounter("edgeagent_pipeline_samples_total", "Samples the windowing stage received.", "pipeline");
        _windows = f.CreateCounter("edgeagent_pipeline_windows_total", "Windows completed (each is one model run).", "pipeline");
        _rejected = f.CreateCounter("edgeagent_pipeline_rejected_samples_total", "Samples or frames the windowing stage rejected, by reason.", "pipeline", "reason");
        _sourceSamples = f.CreateCounter("edgeagent_source_samples_total", "Samples a source produced.", "pipeline", "source");
        _sourceRejected = f.CreateCounter("edgeagent_source_rejected_inputs_total", "Inputs a source rejected, by reason.", "pipeline", "source", "reason");
        _sourceReadErrors = f.CreateCounter("edgeagent_source_read_errors_total", "Failed reads of a source's device or file, retries included.", "pipeline", "source");
        _sourceDeviceLost = f.CreateCounter("edgeagent_source_device_lost_total", "Times a source's device or file went away.", "pipeline", "source");
        _modelRuns = f.CreateCounter("edgeagent_pipeline_model_runs_total", "Model runs (windows or frames scored).", "pipeline");
        _modelRunSeconds = f.CreateCounter("edgeagent_pipeline_model_run_seconds_total",
            "Time spent in the model's Run; divide its rate by the runs' rate for the mean run time.", "pipeline");
        _modelErrors = f.CreateCounter("edgeagent_pipeline_model_errors_total", "Model runs that failed (those windows are not published).", "pipeline");
        _nonFiniteScores = f.CreateCounter("edgeagent_pipeline_non_finite_scores_total", "Scores that were NaN or infinite.", "pipeline");
        _alertActive = f.CreateGauge("edgeagent_pipeline_alert_active", "1 while an alert is active.", "pipeline");
        _alertSeverity = f.CreateGauge("edgeagent_pipeline_alert_severity", "Index of the current (or last) alert's severity in the configured levels; -1 below all.", "pipeline");
        _lastScore = f.CreateGauge("edgeagent_pipeline_last_score", "The last window's or frame's anomaly score.", "pipeline");
        _threshold = f.CreateGauge("edgeagent_pipeline_raise_threshold", "The score at or above which an alert is raised.", "pipeline");
        _cameraState = f.CreateGauge("edgeagent_camera_state", "1 for the camera's current state (running, starting, restarting, stalled, down, ended, stopped, failed).", "pipeline", "state");
        _fpsIn = f.CreateGauge("edgeagent_camera_input_frames_per_second", "Frames per second from ffmpeg over the last second.", "pipeline");
        _fpsOut = f.CreateGauge("edgeagent_camera_scored_frames_per_second", "Frames per second scored over the last second.", "pipeline");
        _frames = f.CreateCounter("edgeagent_camera_frames_total", "Camera frames by outcome (received, scored, skipped by the motion filter, dropped, partial).", "pipeline", "outcome");
        _restarts = f.CreateCounter("edgeagent_camera_restarts_total", "Times ffmpeg was restarted.", "pipeline");
        _stalls = f.CreateCounter("edgeagent_camera_stalls_total", "Times the camera stopped delivering frames.", "pipeline");
    }

    private static readonly string[] CameraStates = ["running", "starting", "restarting", "stalled", "down", "ended", "stopped", "failed"];

    public void Collect(IEnumerable<IHostedService> services)
    {
        _sensors ??= [.. services.OfType<SensorPipelineService>()];
        _cameras ??= [.. services.OfType<CameraPipelineService>()];
        foreach (var service in _sensors)
        {
            CollectSensor(service);
        }

        foreach (var service in _cameras)
        {
            CollectCamera(service);
        }
    }

    private void CollectSensor(SensorPipelineService service)
    {
        var name = service.PipelineName;
        _buildFailures.WithLabels(name).IncTo(service.BuildFailures);
        if (service.Runner is not { } runner)
        {
            _up.WithLabels(name, "sensor").Set(0);
            return;
        }

        _up.WithLabels(name, "sensor").Set(1);
        var pipeline = runner.Pipeline;
        var windows = pipeline.Counters;
        _samples.WithLabels(name).IncTo(windows.Samples);
        _windows.WithLabels(name).IncTo(windows.Windows);
        _rejected.WithLabels(name, "gap").IncTo(windows.Gaps);
        _rejected.WithLabels(name, "stale_channel").IncTo(windows.StaleChannels);
        _rejected.WithLabels(name, "out_of_range").IncTo(windows.OutOfRange);
        _rejected.WithLabels(name, "non_finite").IncTo(windows.NonFinite);
        _rejected.WithLabels(name, "late").IncTo(windows.Late);
        foreach (var source in runner.Sources)
        {
            var counters = source.Counters;
            _sourceSamples.WithLabels(name, source.Name).IncTo(counters.Samples);
            _sourceReadErrors.WithLabels(name, source.Name).IncTo(counters.ReadErrors);
            _sourceDeviceLost.WithLabels(name, source.Name).IncTo(counters.DeviceLost);
            foreach (var (kind, label) in BadInputs)
            {
                _sourceRejected.WithLabels(name, source.Name, label).IncTo(counters[kind]);
            }
        }

        Model(name, pipeline.Slot);
        Alert(name, pipeline.Alert, pipeline.LastScore);
    }

    private void CollectCamera(CameraPipelineService service)
    {
        var name = service.PipelineName;
        var status = service.Status;
        _buildFailures.WithLabels(name).IncTo(service.BuildFailures);
        foreach (var state in CameraStates)
        {
            _cameraState.WithLabels(name, state).Set(state == status.State ? 1 : 0);
        }

        var capture = status.Capture;
        _fpsIn.WithLabels(name).Set(status.FpsIn);
        _fpsOut.WithLabels(name).Set(status.FpsOut);
        _frames.WithLabels(name, "received").IncTo(capture.FramesReceived);
        _frames.WithLabels(name, "dropped").IncTo(capture.FramesDropped);
        _frames.WithLabels(name, "partial").IncTo(capture.PartialFrames);
        _frames.WithLabels(name, "scored").IncTo(status.FramesScored);
        _frames.WithLabels(name, "skipped").IncTo(status.FramesSkipped);
        _restarts.WithLabels(name).IncTo(capture.Restarts);
        _stalls.WithLabels(name).IncTo(capture.Stalls);
        if (service.Pipeline is not { } pipeline)
        {
            _up.WithLabels(name, "camera").Set(0);
            return;
        }

        _up.WithLabels(name, "camera").Set(1);
        Model(name, pipeline.Slot);
        Alert(name, pipeline.Alert, pipeline.LastScore);
    }

    private void Model<TModel>(string name, ModelSlot<TModel> slot)
        where TModel : class, IPipelineModel
    {
        _modelRuns.WithLabels(name).IncTo(slot.Runs);
        _modelRunSeconds.WithLabels(name).IncTo((double)slot.RunTicks / Stopwatch.Frequency);
        _modelErrors.WithLabels(name).IncTo(slot.ModelErrors);
        _nonFiniteScores.WithLabels(name).IncTo(slot.NonFiniteScores);
    }

    private void Alert(string name, AlertStateMachine alert, double lastScore)
    {
        _alertActive.WithLabels(name).Set(alert.Active ? 1 : 0);
        _alertSeverity.WithLabels(name).Set(alert.Severity);
        _threshold.WithLabels(name).Set(alert.RaiseThreshold);
        if (double.IsFinite(lastScore))
        {
            _lastScore.WithLabels(name).Set(lastScore);
        }
    }

    /// <summary>RolledBack → rolled_back: label values in the words of docs/ota.md and Prometheus.</summary>
    internal static string Snake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
