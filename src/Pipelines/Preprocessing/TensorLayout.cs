namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>How an image model wants its input tensor laid out.</summary>
public enum TensorLayout
{
    /// <summary>[1, C, H, W]: one plane per channel (most PyTorch exports, YOLO).</summary>
    Nchw,

    /// <summary>[1, H, W, C]: interleaved like the camera frame (TensorFlow/TFLite exports).</summary>
    Nhwc,
}
