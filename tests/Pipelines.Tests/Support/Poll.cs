using System.Diagnostics;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>Waiting in tests for something another thread or process does: a condition polled until a deadline.</summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> when it has not within <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds}s: {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The same for a condition that must itself wait (an HTTP request, a process run); polled every 200 ms.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds}s: {what}");
            }

            await Task.Delay(200);
        }
    }
}
