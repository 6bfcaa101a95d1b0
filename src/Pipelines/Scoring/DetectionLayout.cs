namespace EdgeAgent.Pipelines.Scoring;

/// <summary>How a YOLO-style detector lays out its single output of N candidates with 4 box values and C class scores.</summary>
public enum DetectionLayout
{
    /// <summary>[1, N, 4+C]: one row per candidate (YOLOv5/v7 style exports, many TFLite models).</summary>
    BoxesFirst,

    /// <summary>[1, 4+C, N]: one row per attribute (Ultralytics YOLOv8/v11 ONNX exports).</summary>
    AttributesFirst,
}
