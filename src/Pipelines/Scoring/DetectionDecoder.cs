using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// Decodes a YOLO-style detector output (centre x, centre y, width, height in model-input pixels, then class
/// scores, optionally preceded by an objectness score) into <see cref="Detection"/>s in normalised frame
/// coordinates: confidence threshold, class filter, class-aware non-maximum suppression, letterbox undone, optional
/// zones. All working arrays are sized for N candidates at construction; <see cref="Decode"/> allocates nothing.
/// </summary>
public sealed class DetectionDecoder
{
    private readonly int _candidates;
    private readonly int _classCount;
    private readonly int _attributes;
    private readonly int _firstClass;
    private readonly DetectionLayout _layout;
    private readonly bool _hasObjectness;
    private readonly float _confidence;
    private readonly float _iou;
    private readonly bool[] _allowed;
    private readonly DetectionZone[] _zones;
    private readonly LetterboxGeometry _geometry;
    private readonly Detection[] _found;
    private readonly float[] _sortKeys;
    private readonly int[] _order;
    private readonly Detection[] _kept;
    private int _keptCount;

    /// <param name="candidates">N, the number of candidate boxes in the output.</param>
    /// <param name="classCount">C, the number of classes.</param>
    /// <param name="geometry">How the frame was placed in the model input (from the <see cref="ImagePreprocessor"/>).</param>
    /// <param name="classFilter">Class ids to report; null or empty = all.</param>
    /// <param name="zones">Report only detections whose bottom centre (where an object stands) is in a zone; empty = everywhere.</param>
    /// <param name="hasObjectness">YOLOv5-style 5+C attributes: confidence = objectness × class score.</param>
    public DetectionDecoder(
        int candidates,
        int classCount,
        DetectionLayout layout,
        LetterboxGeometry geometry,
        float confidenceThreshold = 0.25f,
        float iouThreshold = 0.45f,
        int maxDetections = 100,
        IEnumerable<int>? classFilter = null,
        IEnumerable<DetectionZone>? zones = null,
        bool hasObjectness = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, 1);
        _candidates = candidates;
        _classCount = classCount;
        _hasObjectness = hasObjectness;
        _firstClass = hasObjectness ? 5 : 4;
        _attributes = _firstClass + classCount;
        _layout = layout;
        _geometry = geometry;
        _confidence = confidenceThreshold;
        _iou = iouThreshold;
        _allowed = new bool[classCount];
        var filter = classFilter?.ToList() ?? [];
        foreach (var id in filter)
        {
            if ((uint)id >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(classFilter), id, $"the model has classes 0..{classCount - 1}");
            }

            _allowed[id] = true;
        }

        if (filter.Count == 0)
        {
            Array.Fill(_allowed, true);
        }

        _zones = zones?.ToArray() ?? [];
        _found = new Detection[candidates];
        _sortKeys = new float[candidates];
        _order = new int[candidates];
        _kept = new Detection[maxDetections];
    }

    /// <summary>Values the output must have: N × (4 [+1] + C).</summary>
    public int OutputLength => _candidates * _attributes;

    /// <summary>The detections of the last frame, most confident first.</summary>
    public ReadOnlySpan<Detection> Detections => _kept.AsSpan(0, _keptCount);

    /// <summary>Decodes one output; returns the frame score: the highest confidence kept, 0 when nothing was found.</summary>
    public float Decode(ReadOnlySpan<float> output)
    {
        if (output.Length != OutputLength)
        {
            throw new ArgumentException(
                $"output has {output.Length} values, expected {_candidates} candidates x {_attributes} attributes ({_layout})", nameof(output));
        }

        var found = Collect(output);
        var keys = _sortKeys.AsSpan(0, found);
        var order = _order.AsSpan(0, found);
        for (var i = 0; i < found; i++)
        {
            keys[i] = -_found[i].Score;
            order[i] = i;
        }

        keys.Sort(order);
        _keptCount = 0;
        foreach (var index in order)
        {
            ref readonly var candidate = ref _found[index];
            if (Suppressed(candidate) || !InZone(candidate))
            {
                continue;
            }

            _kept[_keptCount++] = candidate;
            if (_keptCount == _kept.Length)
            {
                break;
            }
        }

        return _keptCount == 0 ? 0f : _kept[0].Score;
    }

    /// <summary>Candidates above the threshold, converted to normalised frame corners.</summary>
    private int Collect(ReadOnlySpan<float> output)
    {
        var found = 0;
        var stride = _layout == DetectionLayout.BoxesFirst ? 1 : _candidates;
        for (var n = 0; n < _candidates; n++)
        {
            var start = _layout == DetectionLayout.BoxesFirst ? n * _attributes : n;
            var objectness = _hasObjectness ? output[start + (4 * stride)] : 1f;
            var bestClass = -1;
            var best = _confidence;
            for (var c = 0; c < _classCount; c++)
            {
                var score = output[start + ((_firstClass + c) * stride)] * objectness;
                if (score >= best && _allowed[c] && (bestClass < 0 || score > best))
                {
                    best = score;
                    bestClass = c;
                }
            }

            if (bestClass < 0)
            {
                continue;
            }

            var cx = output[start];
            var cy = output[start + stride];
            var halfWidth = output[start + (2 * stride)] / 2;
            var halfHeight = output[start + (3 * stride)] / 2;
            _found[found++] = new Detection(
                _geometry.ToFrameX(cx - halfWidth), _geometry.ToFrameY(cy - halfHeight),
                _geometry.ToFrameX(cx + halfWidth), _geometry.ToFrameY(cy + halfHeight),
                best, bestClass);
        }

        return found;
    }

    private bool Suppressed(in Detection candidate)
    {
        for (var k = 0; k < _keptCount; k++)
        {
            if (_kept[k].ClassId == candidate.ClassId && Detection.IntersectionOverUnion(_kept[k], candidate) > _iou)
            {
                return true;
            }
        }

        return false;
    }

    private bool InZone(in Detection candidate)
    {
        if (_zones.Length == 0)
        {
            return true;
        }

        var x = (candidate.X1 + candidate.X2) / 2;
        foreach (var zone in _zones)
        {
            if (zone.Contains(x, candidate.Y2))
            {
                return true;
            }
        }

        return false;
    }
}
