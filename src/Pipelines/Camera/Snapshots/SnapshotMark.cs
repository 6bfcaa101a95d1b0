namespace EdgeAgent.Pipelines.Camera.Snapshots;

/// <summary>One thing to outline on a snapshot, in fractions of the frame (0..1), with an optional label.</summary>
public readonly record struct SnapshotMark(float X1, float Y1, float X2, float Y2, string Label, SnapshotMarkKind Kind);

public enum SnapshotMarkKind
{
    /// <summary>A detector's box (red, labelled with class and confidence).</summary>
    Detection,

    /// <summary>A scene-model patch that scored above normal (yellow).</summary>
    Patch,
}
