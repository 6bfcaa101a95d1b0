using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>
/// What the model saw, taken from the pipeline at anomaly_start (on the loop, once per event, so it may allocate):
/// the detector's boxes with class and confidence, or the scene model's patches whose score reached the raise
/// threshold (the highest one when none does), mapped from model input to frame fractions.
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
