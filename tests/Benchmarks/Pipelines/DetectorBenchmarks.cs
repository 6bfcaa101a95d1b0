using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Novelty;
using EdgeAgent.Pipelines.Tests.Support;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The built-in detectors' cost per window (one value of one feature), in steady state on a real series: NAB machine
/// temperature (22,695 rows), replayed in a loop after the detectors have learned on it once.
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private ResonanceDetector _resonance = null!;
    private ResonanceDetector _ensemble = null!;
    private NoveltyDetector _shapes = null!;
    private float[] _values = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _values = [.. File.ReadLines(Path.Combine(RepositoryPaths.SharedData, "nab", "machine_temperature_system_failure.csv")).Skip(1)
            .Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture))];
        _resonance = new ResonanceDetector(1, new DetectorOptions { Kind = DetectorKind.Resonance, Memory = 1024 });
        _ensemble = new ResonanceDetector(1, NabDetector());
        _shapes = new NoveltyDetector(1, new DetectorOptions { Scales = [2, 8, 32], WarmupPoints = 300, NewShapeDistance = 0.01, HistoryPoints = 1000, OutOfRangeMargin = 0.05 });
        foreach (var v in _values)
        {
            _resonance.Input[0] = v;
            _resonance.Run();
            _ensemble.Input[0] = v;
            _ensemble.Run();
            _shapes.Input[0] = v;
            _shapes.Run();
        }
    }

    private static DetectorOptions NabDetector()
    {
        var detector = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "config", "nab.json")))!["pipelines"]![0]!["detector"]!;
        var options = new DetectorOptions
        {
            Kind = DetectorKind.Resonance,
            EarlyLearningSamples = (int)detector["earlyLearningSamples"]!,
            Memory = (int)detector["memory"]!,
            SpanWindows = (int)detector["spanWindows"]!,
        };
        foreach (var track in detector["tracks"]!.AsArray())
        {
            options.Tracks.Add(new ResonanceTrackOptions { LearningSamples = (int)track!["learningSamples"]!, RangeMargin = (double)track["rangeMargin"]! });
        }

        return options;
    }

    [Benchmark]
    public float Resonance()
    {
        _resonance.Input[0] = _values[_next++ % _values.Length];
        _resonance.Run();
        return _resonance.Output[0];
    }

    /// <summary>The ensemble exactly as config/nab.json configures it (its tracks read from the file).</summary>
    [Benchmark]
    public float ResonanceEnsemble()
    {
        _ensemble.Input[0] = _values[_next++ % _values.Length];
        _ensemble.Run();
        return _ensemble.Output[0];
    }

    [Benchmark]
    public float Shapes()
    {
        _shapes.Input[0] = _values[_next++ % _values.Length];
        _shapes.Run();
        return _shapes.Output[0];
    }
}
