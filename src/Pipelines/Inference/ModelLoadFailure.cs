namespace EdgeAgent.Pipelines.Inference;

/// <summary>Why a model could not be loaded; each has its own fix.</summary>
public enum ModelLoadFailure
{
    NotFound,
    Unreadable,
    Truncated,
    NotOnnx,
    UnsupportedModel,
    ShapeMismatch,
    UnsupportedType,
    OutOfArenaMemory,
    RuntimeError,
}
