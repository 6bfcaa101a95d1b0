namespace EdgeAgent.Ota;

/// <summary>Where a pipeline's model update is; written in snake_case in <c>models/reported</c>.</summary>
public enum UpdateState
{
    None,
    Downloading,
    Verifying,
    Validating,
    Shadow,
    Active,
    Rejected,
    RolledBack,
}
