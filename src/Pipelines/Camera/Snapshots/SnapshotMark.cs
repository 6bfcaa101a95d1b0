namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>
/// One thing to mark on a snapshot, in fractions of the frame (0..1), with an optional label; <paramref name="Heat"/>
/// (0..1) is how hot a <see cref="SnapshotMarkKind.Heat"/> cell is drawn.
/// </summary>
public readonly record struct SnapshotMark(float X1, float Y1, float X2, float Y2, string Label, SnapshotMarkKind Kind, float Heat = 0);

public enum SnapshotMarkKind
{
    /// <summary>A detector's box (red, labelled with class and confidence).</summary>
    Detection,

    /// <summary>A scene-model patch that scored above normal (yellow).</summary>
    Patch,

    /// <summary>A scene-model patch's score as a translucent heat-map cell (orange to red, under the outlines).</summary>
    Heat,
}
