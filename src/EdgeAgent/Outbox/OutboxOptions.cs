namespace EdgeAgent.Outbox;

public sealed class OutboxOptions
{
}
