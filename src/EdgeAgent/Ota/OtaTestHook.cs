namespace EdgeAgent.Ota;

/// <summary>
/// For crash tests only: with <c>EDGEAGENT_OTA_TEST_PAUSE=&lt;step&gt;</c> in its environment the agent stops an
/// update at that step for good and says so on stderr (<c>OTA test hook: paused at &lt;step&gt;</c>), so a test can
/// SIGKILL it exactly there. Steps: downloading (part of the artifact written), verifying, staging (verified and
/// unpacked, not yet in the store), validating, deploying (the crash-loop breaker's marker written, the candidate not yet
/// loaded), activating (swapped in and healthy, active.json not yet written).
/// Off unless the variable is set; deliberately not an option (it has no use on a device).
/// </summary>
internal static class OtaTestHook
{
    public const string Variable = "EDGEAGENT_OTA_TEST_PAUSE";

    private static readonly string? Step = Environment.GetEnvironmentVariable(Variable);

    public static bool PausesAt(string step) => string.Equals(Step, step, StringComparison.Ordinal);

    public static Task PauseAsync(string step, CancellationToken cancellationToken)
    {
        if (!PausesAt(step))
        {
            return Task.CompletedTask;
        }

        Announce(step);
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <summary>For synchronous steps: blocks the update's thread (the update loop's own) until the process ends.</summary>
    public static void Pause(string step)
    {
        if (PausesAt(step))
        {
            Announce(step);
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static void Announce(string step)
    {
        Console.Error.WriteLine($"OTA test hook: paused at {step}");
        Console.Error.Flush();
    }
}
