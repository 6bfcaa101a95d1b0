namespace EdgeAgent.Pipelines.Scoring;

/// <summary>A polygon in normalised frame coordinates (0..1, origin top-left); detections count only inside a zone.</summary>
public sealed class DetectionZone
{
    private readonly float[] _x;
    private readonly float[] _y;

    /// <param name="points">x0, y0, x1, y1, … at least three corners.</param>
    public DetectionZone(string name, IReadOnlyList<float> points)
    {
        if (points.Count < 6 || points.Count % 2 != 0)
        {
            throw new ArgumentException($"zone '{name}' needs at least three x,y corners, got {points.Count} numbers", nameof(points));
        }

        Name = name;
        _x = new float[points.Count / 2];
        _y = new float[points.Count / 2];
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = points[2 * i];
            _y[i] = points[(2 * i) + 1];
        }
    }

    public string Name { get; }

    /// <summary>Even-odd ray casting.</summary>
    public bool Contains(float x, float y)
    {
        var inside = false;
        for (int i = 0, j = _x.Length - 1; i < _x.Length; j = i++)
        {
            if ((_y[i] > y) != (_y[j] > y) && x < ((_x[j] - _x[i]) * (y - _y[i]) / (_y[j] - _y[i])) + _x[i])
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
