using EdgeAgent.Hosting;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Outbox;

/// <summary>Runs the outbox pump for the host's lifetime; a pump that fails for good stops the host.</summary>
internal sealed class OutboxService : IHostedService
{
    private readonly DurableOutbox _outbox;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly HostFailures _failures;

    public OutboxService(DurableOutbox outbox, IHostApplicationLifetime lifetime, HostFailures failures)
    {
        _outbox = outbox;
        _lifetime = lifetime;
        _failures = failures;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _outbox.FaultHandler = error =>
        {
            _failures.Record("outbox", error);
            _lifetime.StopApplication();
        };
        _outbox.Start();
        return Task.CompletedTask;
    }

    // Stopped last (hosted services stop in reverse order, and the MQTT link registers after it): the link has
    // published 'offline' by then. Disposal by the container commits what is staged and closes the file.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
