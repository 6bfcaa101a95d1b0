using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines;

public enum PipelineKind
{
    Sensor,
    Camera,
}

public sealed class PipelineOptions
{
    [Description("Unique name; becomes the MQTT topic level of the pipeline's events.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "must be 1..64 characters of A-Z, a-z, 0-9, '_' or '-' (it becomes an MQTT topic level)")]
    public string Name { get; set; } = string.Empty;

    [Description("sensor or camera.")]
    public PipelineKind Kind { get; set; } = PipelineKind.Sensor;

    [Description("Run this pipeline.")]
    public bool Enabled { get; set; } = true;

    [Description("Camera pipelines: the ffmpeg-decoded input, frame size and supervision. Required for kind camera, absent otherwise.")]
    public Camera.CameraOptions? Camera { get; set; }
}
