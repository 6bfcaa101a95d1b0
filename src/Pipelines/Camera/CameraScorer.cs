using System.Text;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A camera model's output as an anomaly score, so the sensors' alert logic and event publisher serve cameras
/// unchanged: <c>output</c> (the model emits a scene-anomaly score), <c>classification</c> (anomalous classes among
/// the top k) or <c>detection</c> (the most confident box; the contributors are the detected classes).
/// </summary>
public sealed class CameraScorer : AnomalyScorer
{
    private readonly ScorerKind _kind;
    private readonly int _outputIndex;
    private readonly ClassificationScorer? _classification;
    private readonly DetectionDecoder? _detection;
    private readonly byte[][] _names;

    private CameraScorer(ScorerKind kind, int outputIndex, ClassificationScorer? classification, DetectionDecoder? detection, byte[][] names)
    {
        _kind = kind;
        _outputIndex = outputIndex;
        _classification = classification;
        _detection = detection;
        _names = names;
    }

    public override IReadOnlyList<byte[]> ContributorNames => _names;

    /// <summary>The boxes of the last frame (detection scorers), most confident first; empty otherwise.</summary>
    public ReadOnlySpan<Detection> Detections => _detection is null ? default : _detection.Detections;

    /// <summary>Builds the scorer the options ask for, checked against the model's output shape.</summary>
    /// <exception cref="InvalidDataException">The output does not fit the scorer.</exception>
    public static CameraScorer Create(ScorerOptions options, ReadOnlySpan<long> outputShape, long outputLength, LetterboxGeometry geometry)
    {
        switch (options.Kind)
        {
            case ScorerKind.Output:
                if (options.OutputIndex >= outputLength)
                {
                    throw new InvalidDataException($"scorer.outputIndex {options.OutputIndex} is beyond the model output's {outputLength} values");
                }

                return new CameraScorer(ScorerKind.Output, options.OutputIndex, null, null, []);
            case ScorerKind.Classification:
            case ScorerKind.Probability:
                var classes = options.Classes.Count > 0 ? options.Classes : [.. Enumerable.Range(0, (int)outputLength).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
                if (classes.Count != outputLength)
                {
                    throw new InvalidDataException($"scorer.classes names {classes.Count} classes but the model outputs {outputLength} values");
                }

                var anomalous = options.AnomalousClasses.Select(n => classes.IndexOf(n));
                return new CameraScorer(ScorerKind.Classification, 0, new ClassificationScorer(classes.Count, anomalous, options.TopK), null, Utf8(classes));
            case ScorerKind.Detection:
                return CreateDetection(options, outputShape, geometry);
            default:
                throw new InvalidDataException($"scorer.kind '{options.Kind}' does not apply to camera pipelines; use output, classification or detection");
        }
    }

    public override double Score(ReadOnlySpan<float> input, ReadOnlySpan<float> output) => _kind switch
    {
        ScorerKind.Output => output[_outputIndex],
        ScorerKind.Classification => _classification!.Score(output),
        _ => _detection!.Decode(output),
    };

    public override int TopContributors(Span<int> indices, Span<double> contributions)
    {
        var count = 0;
        if (_classification is not null)
        {
            foreach (var top in _classification.Top)
            {
                if (count == indices.Length || count == contributions.Length)
                {
                    break;
                }

                indices[count] = top.ClassId;
                contributions[count++] = top.Probability;
            }
        }
        else if (_detection is not null)
        {
            foreach (var box in _detection.Detections)
            {
                if (count == indices.Length || count == contributions.Length)
                {
                    break;
                }

                indices[count] = box.ClassId;
                contributions[count++] = box.Score;
            }
        }

        return count;
    }

    private static CameraScorer CreateDetection(ScorerOptions options, ReadOnlySpan<long> shape, LetterboxGeometry geometry)
    {
        if (shape.Length != 3 || shape[0] != 1)
        {
            throw new InvalidDataException($"a detection scorer needs a [1, N, 4+C] or [1, 4+C, N] output, the model's is [{string.Join(", ", shape.ToArray())}]");
        }

        // The attribute axis is the short one: a detector proposes far more candidates than it has classes.
        var layout = shape[1] < shape[2] ? DetectionLayout.AttributesFirst : DetectionLayout.BoxesFirst;
        var attributes = (int)Math.Min(shape[1], shape[2]);
        var candidates = (int)Math.Max(shape[1], shape[2]);
        var classCount = attributes - (options.Objectness ? 5 : 4);
        if (classCount < 1)
        {
            throw new InvalidDataException($"a detection output needs {(options.Objectness ? 5 : 4)}+C attributes, the model's has {attributes}");
        }

        var classes = options.Classes.Count > 0 ? options.Classes : [.. Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (classes.Count != classCount)
        {
            throw new InvalidDataException($"scorer.classes names {classes.Count} classes but the detector has {classCount}");
        }

        var filter = options.AnomalousClasses.Select(n => classes.IndexOf(n)).ToArray();
        var decoder = new DetectionDecoder(candidates, classCount, layout, geometry, (float)options.ConfidenceThreshold, (float)options.IouThreshold,
            classFilter: filter, hasObjectness: options.Objectness);
        return new CameraScorer(ScorerKind.Detection, 0, null, decoder, Utf8(classes));
    }

    private static byte[][] Utf8(IReadOnlyList<string> names) => [.. names.Select(Encoding.UTF8.GetBytes)];
}
