namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>
/// Where the camera frame lands inside the model input: scaled by <see cref="ScaleX"/>/<see cref="ScaleY"/> (equal
/// when letterboxed) and offset by the padding. Maps model-space coordinates back to the frame.
/// </summary>
public readonly record struct LetterboxGeometry(
    int SourceWidth, int SourceHeight, int TargetWidth, int TargetHeight, int ContentWidth, int ContentHeight, int PadX, int PadY)
{
    public float ScaleX => (float)ContentWidth / SourceWidth;

    public float ScaleY => (float)ContentHeight / SourceHeight;

    public static LetterboxGeometry Compute(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight, bool letterbox)
    {
        if (!letterbox || (sourceWidth * targetHeight == sourceHeight * targetWidth))
        {
            return new(sourceWidth, sourceHeight, targetWidth, targetHeight, targetWidth, targetHeight, 0, 0);
        }

        var scale = Math.Min((double)targetWidth / sourceWidth, (double)targetHeight / sourceHeight);
        var contentWidth = Math.Clamp((int)Math.Round(sourceWidth * scale), 1, targetWidth);
        var contentHeight = Math.Clamp((int)Math.Round(sourceHeight * scale), 1, targetHeight);
        return new(sourceWidth, sourceHeight, targetWidth, targetHeight, contentWidth, contentHeight,
            (targetWidth - contentWidth) / 2, (targetHeight - contentHeight) / 2);
    }

    /// <summary>A model-input x (pixels) as a fraction of the frame width, clamped to 0..1.</summary>
    public float ToFrameX(float modelX) => Math.Clamp((modelX - PadX) / ContentWidth, 0f, 1f);

    /// <summary>A model-input y (pixels) as a fraction of the frame height, clamped to 0..1.</summary>
    public float ToFrameY(float modelY) => Math.Clamp((modelY - PadY) / ContentHeight, 0f, 1f);
}
