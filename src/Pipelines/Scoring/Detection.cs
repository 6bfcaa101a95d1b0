namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// One detected object: corners in normalised coordinates of the camera frame (0..1, origin top-left), the class
/// index in the model's output and its confidence.
/// </summary>
public readonly record struct Detection(float X1, float Y1, float X2, float Y2, float Score, int ClassId)
{
    public float Area => Math.Max(0f, X2 - X1) * Math.Max(0f, Y2 - Y1);

    public static float IntersectionOverUnion(in Detection a, in Detection b)
    {
        var width = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        var height = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (width <= 0f || height <= 0f)
        {
            return 0f;
        }

        var intersection = width * height;
        return intersection / (a.Area + b.Area - intersection);
    }
}
