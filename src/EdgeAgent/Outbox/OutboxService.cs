using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Outbox;

/// <summary>Runs the outbox pump for the host's lifetime; a pump that fails for good stops the host.</summary>
internal sealed class OutboxService : IHostedService
{
    private readonly DurableOutbox _outbox;
    private readonly IHostApplicationLifetime _lifetime;

    public OutboxService(DurableOutbox outbox, IHostApplicationLifetime lifetime)
    {
        _outbox = outbox;
        _lifetime = lifetime;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _outbox.FaultHandler = _ => _lifetime.StopApplication();
        _outbox.Start();
        return Task.CompletedTask;
    }

    // Stopped last (hosted services stop in reverse order, and the MQTT link registers after it): the link has
    // published 'offline' by then. Disposal by the container commits what is staged and closes the file.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
