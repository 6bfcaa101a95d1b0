using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>
/// What the model saw, taken from the pipeline at anomaly_start (on the loop, once per event, so it may allocate):
/// the detector's boxes with class and confidence, or the scene model's patches whose score reached the raise
/// threshold (the highest one when none does) and the heat map of all patch scores, mapped from model input to frame
/// fractions.
/// </summary>
public static class SnapshotMarks
{
    public static IReadOnlyList<SnapshotMark> From(CameraPipeline pipeline, IReadOnlyList<byte[]> classNames)
    {
        var marks = new List<SnapshotMark>();
        foreach (var box in pipeline.Detections)
        {
            var name = (uint)box.ClassId < (uint)classNames.Count ? Encoding.UTF8.GetString(classNames[box.ClassId]) : box.ClassId.ToString(CultureInfo.InvariantCulture);
            marks.Add(new SnapshotMark(box.X1, box.Y1, box.X2, box.Y2, string.Create(CultureInfo.InvariantCulture, $"{name} {box.Score:0.00}"), SnapshotMarkKind.Detection));
        }

        if (pipeline.Model.Patches is { } patches)
        {
            AddHeat(marks, patches.AsSpan<float>(), pipeline.Model.PatchesX, pipeline.Model.PatchesY, pipeline.Model.Width, pipeline.Model.Height,
                pipeline.Geometry, pipeline.Alert.RaiseThreshold);
            AddPatches(marks, patches.AsSpan<float>(), pipeline.Model.PatchesX, pipeline.Model.PatchesY, pipeline.Model.Width, pipeline.Model.Height,
                pipeline.Geometry, pipeline.Alert.RaiseThreshold);
        }

        return marks;
    }

    /// <summary>Patch (px, py) of a <paramref name="columns"/> × <paramref name="rows"/> grid over the model input.</summary>
    public static void AddPatches(List<SnapshotMark> marks, ReadOnlySpan<float> scores, int columns, int rows, int modelWidth, int modelHeight,
        LetterboxGeometry geometry, double threshold)
    {
        if (scores.Length < columns * rows || columns == 0 || rows == 0)
        {
            return;
        }

        var best = 0;
        var added = 0;
        for (var i = 0; i < columns * rows; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }

            if (scores[i] >= threshold)
            {
                marks.Add(Patch(i, columns, rows, modelWidth, modelHeight, geometry, scores[i]));
                added++;
            }
        }

        if (added == 0)
        {
            marks.Add(Patch(best, columns, rows, modelWidth, modelHeight, geometry, scores[best]));
        }
    }

    /// <summary>
    /// The heat map: one cell per patch scoring at least half the raise threshold, its heat rising to 1 at twice the
    /// threshold (relative to the highest score when the threshold is not positive). Normal patches stay clear, so the
    /// picture shows through where nothing happened.
    /// </summary>
    public static void AddHeat(List<SnapshotMark> marks, ReadOnlySpan<float> scores, int columns, int rows, int modelWidth, int modelHeight,
        LetterboxGeometry geometry, double threshold)
    {
        if (scores.Length < columns * rows || columns == 0 || rows == 0)
        {
            return;
        }

        var scale = threshold > 0 ? 2 * threshold : Max(scores[..(columns * rows)]);
        if (!(scale > 0))
        {
            return;
        }

        for (var i = 0; i < columns * rows; i++)
        {
            var heat = (float)Math.Clamp(scores[i] / scale, 0, 1);
            if (heat >= HeatFloor)
            {
                marks.Add(Patch(i, columns, rows, modelWidth, modelHeight, geometry, scores[i]) with { Kind = SnapshotMarkKind.Heat, Heat = heat });
            }
        }
    }

    /// <summary>Cells below this heat (half the threshold) are not drawn.</summary>
    public const float HeatFloor = 0.25f;

    private static double Max(ReadOnlySpan<float> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var score in scores)
        {
            max = Math.Max(max, score);
        }

        return max;
    }

    private static SnapshotMark Patch(int index, int columns, int rows, int modelWidth, int modelHeight, LetterboxGeometry geometry, float score)
    {
        var w = (float)modelWidth / columns;
        var h = (float)modelHeight / rows;
        var px = index % columns;
        var py = index / columns;
        return new SnapshotMark(geometry.ToFrameX(px * w), geometry.ToFrameY(py * h), geometry.ToFrameX((px + 1) * w), geometry.ToFrameY((py + 1) * h),
            string.Create(CultureInfo.InvariantCulture, $"{score:0.#}"), SnapshotMarkKind.Patch);
    }
}
