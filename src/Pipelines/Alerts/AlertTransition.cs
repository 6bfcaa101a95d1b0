namespace EdgeAgent.Pipelines.Alerts;

public enum AlertTransition
{
    None,
    Started,
    Ended,
}
