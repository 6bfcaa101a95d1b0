using System.Diagnostics;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The bookkeeping of an OTA shadow period, shared by sensor windows (<see cref="ShadowModel"/>) and camera frames
/// (<c>CameraShadow</c>): the claim that lets the deployment stop the loop's use of the candidate, and the counters
/// behind <see cref="ShadowStatistics"/>. Written by the loop thread only; read from any thread. Allocates nothing
/// per window or frame.
/// </summary>
public sealed class ShadowRecorder
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private int _state;
    private long _windows;
    private long _errors;
    private long _nonFinite;
    private long _alerts;
    private long _activeAlerts;
    private long _ticks;
    private long _activeTicks;
    private string? _firstError;

    /// <summary>The candidate's run times on the windows or frames it shadowed.</summary>
    public RunTimeHistogram CandidateRunTimes { get; } = new();

    /// <summary>The active model's run times on the same windows or frames.</summary>
    public RunTimeHistogram ActiveRunTimes { get; } = new();

    /// <summary>A snapshot of the counters (read from another thread: each value is exact, the set is not a transaction).</summary>
    public ShadowStatistics Statistics => new(
        Volatile.Read(ref _windows), Volatile.Read(ref _errors), Volatile.Read(ref _nonFinite), Volatile.Read(ref _alerts), Volatile.Read(ref _activeAlerts),
        Volatile.Read(ref _ticks), Volatile.Read(ref _activeTicks), CandidateRunTimes.Percentile(0.5), ActiveRunTimes.Percentile(0.5), Volatile.Read(ref _firstError));

    /// <summary>
    /// Ends the shadow: waits until the loop is not between <see cref="TryEnter"/> and <see cref="Exit"/> (at most
    /// one candidate run), after which the loop never touches the candidate again. Works while the loop is idle too.
    /// </summary>
    public void Stop()
    {
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _state, Stopped, Idle) == Running)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Loop thread: claims the candidate for one window or frame; false once <see cref="Stop"/> was called.</summary>
    internal bool TryEnter() => Interlocked.CompareExchange(ref _state, Running, Idle) == Idle;

    /// <summary>Loop thread, after <see cref="TryEnter"/>: the window or frame is counted and the claim released.</summary>
    internal void Exit()
    {
        Volatile.Write(ref _windows, _windows + 1);
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>The active model's run time and verdict on the window or frame being shadowed.</summary>
    internal void Active(long ticks, bool alert)
    {
        _activeTicks += ticks;
        ActiveRunTimes.Add(ticks);
        if (alert)
        {
            _activeAlerts++;
        }
    }

    /// <summary>The candidate's run threw: counted, never rethrown (its failures are what the period is there to count).</summary>
    internal void Error(Exception ex)
    {
        _firstError ??= ex.Message;
        _errors++;
    }

    /// <summary>The candidate's successful run and its score against its own threshold.</summary>
    internal void Candidate(long ticks, double score, double threshold)
    {
        _ticks += ticks;
        CandidateRunTimes.Add(ticks);
        if (!double.IsFinite(score))
        {
            _nonFinite++;
        }
        else if (score >= threshold)
        {
            _alerts++;
        }
    }
}
