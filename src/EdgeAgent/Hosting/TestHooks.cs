using EdgeAgent.Ota;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>
/// The agent's only test hooks, both off unless their variable is set (never on a device; deliberately not options).
/// <para><c>EDGEAGENT_INJECT_FAULT</c>, for the tests that check what systemd sees when a loop fails: <c>=background</c>
/// a background loop throws two seconds after start, <c>=thread</c> a plain thread throws an unhandled exception. The
/// real faults it stands in for are fixed where they happen; this keeps the host's last line of defence tested.</para>
/// <para><c>EDGEAGENT_OTA_TEST_PAUSE=&lt;step&gt;</c>, for the crash tests: the update stops at that step for good and
/// says so on stderr (<c>OTA test hook: paused at &lt;step&gt;</c>), so a test can SIGKILL it exactly there. A step is a
/// state the update coordinator reports (<c>verifying</c>, <c>validating</c>...: it stops right after reporting it) or
/// one of the three crash points between them: <c>staging</c> (verified and unpacked, not yet in the store),
/// <c>deploying</c> (the crash-loop breaker's marker written, the candidate not yet loaded), <c>activating</c> (swapped
/// in and healthy, active.json not yet written). A download is stopped by the test's own server instead.</para>
/// </summary>
internal static class TestHooks
{
    public const string FaultVariable = "EDGEAGENT_INJECT_FAULT";
    public const string PauseVariable = "EDGEAGENT_OTA_TEST_PAUSE";

    private static readonly string? PauseStep = Environment.GetEnvironmentVariable(PauseVariable);

    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        switch (Environment.GetEnvironmentVariable(FaultVariable))
        {
            case "background":
                services.AddHostedService<FaultingLoop>();
                break;
            case "thread":
                var thread = new Thread(() =>
                {
                    Thread.Sleep(2000);
                    throw new InvalidOperationException($"fault injected by {FaultVariable}=thread");
                }) { IsBackground = true, Name = "injected-fault" };
                thread.Start();
                break;
        }

        return services;
    }

    public static void PauseAt(UpdateState reported)
    {
        if (PauseStep is not null)
        {
            PauseAt(ReportedStateWriter.SnakeCase(reported));
        }
    }

    /// <summary>Blocks the update's thread (the coordinator's own) until the process is killed.</summary>
    public static void PauseAt(string step)
    {
        if (string.Equals(PauseStep, step, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"OTA test hook: paused at {step}");
            Console.Error.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private sealed class FaultingLoop : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(2000, stoppingToken).ConfigureAwait(false);
            throw new InvalidOperationException($"fault injected by {FaultVariable}=background");
        }
    }
}
