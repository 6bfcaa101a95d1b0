namespace EdgeAgent.Ota;

/// <summary>One pipeline's entry in the reported state.</summary>
public sealed record PipelineModelStatus(
    string Pipeline,
    string? ActiveName,
    string? ActiveVersion,
    string? PreviousName,
    string? PreviousVersion,
    UpdateState State,
    string? CandidateName,
    string? CandidateVersion,
    RejectionReason? Reason,
    string? Message,
    DateTimeOffset Updated);
