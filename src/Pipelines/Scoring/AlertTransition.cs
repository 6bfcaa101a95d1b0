namespace EdgeAgent.Pipelines.Scoring;

public enum AlertTransition
{
    None,
    Started,
    Ended,
}
