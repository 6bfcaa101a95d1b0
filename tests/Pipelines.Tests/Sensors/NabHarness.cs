using System.Globalization;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Pipelines.Tests.Sensors;

/// <summary>How a NAB file is windowed, featurised, calibrated and alerted on.</summary>
public sealed record NabSettings(
    int Size = 24,
    int Hop = 6,
    Statistic[]? Statistics = null,
    double Quantile = 1.0,
    double Margin = 1.5,
    double VarianceToKeep = 0.95,
    int RaiseWindows = 2,
    int ClearWindows = 6,
    double CooldownHours = 12,
    double TrimFraction = 0)
{
    public Statistic[] EffectiveStatistics => Statistics ?? [Statistic.Mean, Statistic.Std, Statistic.Min, Statistic.Max, Statistic.Slope];
}

public sealed record NabResult(string File, DetectionQuality Quality, BaselineModel Model, int CalibrationWindows, IReadOnlyList<long> AlertStarts, IReadOnlyList<(long End, double Score)> Scores);

/// <summary>
/// The NAB quality harness in pure C#: replay (as fast as possible) → windows → features; calibration on the
/// windows of the first 15% of the file; then the whole file through the real pipeline (standardise → reference
/// baseline model → reconstruction scorer → alert logic → event writer) and the anomaly_start events compared with
/// the labelled windows.
/// </summary>
public static class NabHarness
{
    public static string NabDirectory => Path.Combine(RepositoryPaths.SharedData, "nab");

    public static async Task<NabResult> RunAsync(string file, NabSettings settings)
    {
        var path = Path.Combine(NabDirectory, file);
        var options = new PipelineOptions
        {
            Name = "nab",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = path, Speed = 0 } }],
            Window = new WindowOptions { Size = settings.Size, Hop = settings.Hop, MaxGapSeconds = 6 * 3600 },
            Features = [new FeatureOptions { Kind = FeatureKind.Statistics, Statistics = [.. settings.EffectiveStatistics] }],
            Alert = new AlertOptions { RaiseWindows = settings.RaiseWindows, ClearWindows = settings.ClearWindows, CooldownSeconds = settings.CooldownHours * 3600, UpdateIntervalSeconds = 0 },
        };
        var calibration = await CalibrationData.CollectAsync(options, NullLoggerFactory.Instance, take: 0.15);
        var samples = await CalibrationData.ReadAllAsync(options, NullLoggerFactory.Instance);
        var rows = calibration.Rows;

        var model = PcaCalibrator.Fit(rows, new CalibrationOptions { Quantile = settings.Quantile, Margin = settings.Margin, VarianceToKeep = settings.VarianceToKeep, TrimFraction = settings.TrimFraction });

        // Pass 2: the real pipeline with the standardize step fed from the baseline.
        options.Features.Add(new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [.. model.Mean], Std = [.. model.Std] });
        var queue = new RecordingQueue();
        var pipeline = SensorPipelineFactory.Create(options, "test-device", new BaselineWindowModel(model), model.Threshold, queue);
        var scores = new List<(long, double)>();
        foreach (var sample in samples)
        {
            if (pipeline.OnSample(sample) > 0)
            {
                scores.Add((pipeline.LastWindow.EndTicks, pipeline.LastScore));
            }
        }

        var starts = queue.Events("anomaly_start")
            .Select(e => DateTime.Parse(e.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks)
            .ToList();
        var labels = LabelledWindows.Load(Path.Combine(NabDirectory, "anomaly_windows.json"))[file];
        var quality = DetectionQuality.Evaluate(labels, starts, (int)pipeline.Counters.Windows);
        return new NabResult(file, quality, model, rows.Count, starts, scores);
    }
}
