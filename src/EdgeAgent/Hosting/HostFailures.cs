using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>
/// Why the host stopped, when an error stopped it. The generic host ends <c>RunAsync</c> normally after a
/// <see cref="BackgroundService"/> faults (StopHost) or a component calls <c>StopApplication</c> on a fault, so
/// without this the process would exit 0 and systemd's <c>Restart=on-failure</c> would leave the device down.
/// The run command turns any failure found here into a non-zero exit code.
/// </summary>
public sealed class HostFailures
{
    private readonly ConcurrentQueue<string> _reasons = new();

    /// <summary>A component that stops the host because of <paramref name="error"/> records it here first.</summary>
    public void Record(string component, Exception error) => _reasons.Enqueue($"{component}: {error.GetType().Name}: {error.Message}");

    private IReadOnlyList<BackgroundService> _loops = [];

    /// <summary>
    /// The host's failures, to read after <c>RunAsync</c> (which disposes the host and its container): call before
    /// running it.
    /// </summary>
    public static HostFailures Of(IHost host)
    {
        var failures = host.Services.GetRequiredService<HostFailures>();
        failures._loops = [.. host.Services.GetServices<IHostedService>().OfType<BackgroundService>()];
        return failures;
    }

    /// <summary>Every failure that stopped the host: the recorded ones and every faulted background loop.</summary>
    public IReadOnlyList<string> Reasons()
    {
        var reasons = new List<string>(_reasons);
        foreach (var loop in _loops)
        {
            if (loop.ExecuteTask is { IsFaulted: true } task)
            {
                var error = task.Exception!.GetBaseException();
                reasons.Add($"{loop.GetType().Name}: {error.GetType().Name}: {error.Message}");
            }
        }

        return reasons;
    }
}
