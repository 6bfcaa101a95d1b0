using System.Threading.Tasks.Sources;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Newest frame wins: one reader fills frames from a fixed pool of pinned buffers and publishes them into a single
/// slot; one consumer takes the slot. A frame still in the slot when the next one is published is dropped (and
/// counted) and its buffer reused, so a slow consumer sees the latest picture and memory stays flat.
/// Three buffers suffice for a consumer that holds one frame at a time (one being written, one waiting, one held).
/// </summary>
public sealed class FrameHandoff : IValueTaskSource<CameraFrame?>
{
    private readonly Lock _lock = new();
    private readonly CameraFrame[] _free;
    private ManualResetValueTaskSourceCore<CameraFrame?> _waiter = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private int _freeCount;
    private CameraFrame? _slot;
    private bool _waiting;
    private bool _completed;
    private long _published;
    private long _dropped;

    public FrameHandoff(int width, int height, CameraPixelFormat format, int poolSize = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 2);
        _free = new CameraFrame[poolSize];
        for (var i = 0; i < poolSize - 1; i++)
        {
            _free[_freeCount++] = new CameraFrame(width, height, format);
        }

        WriteTarget = new CameraFrame(width, height, format);
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Frames replaced in the slot before the consumer took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The buffer the reader fills next; only the reader touches it.</summary>
    internal CameraFrame WriteTarget { get; private set; }

    /// <summary>Hands <see cref="WriteTarget"/> to the consumer and gives the reader a fresh buffer.</summary>
    internal void Publish(long sequence, long timestamp)
    {
        var frame = WriteTarget;
        frame.Sequence = sequence;
        frame.Timestamp = timestamp;
        Interlocked.Increment(ref _published);
        var handToWaiter = false;
        lock (_lock)
        {
            if (_slot is { } replaced)
            {
                // Not taken yet (a waiting consumer would have emptied the slot): the newer frame replaces it.
                _slot = frame;
                WriteTarget = replaced;
                Interlocked.Increment(ref _dropped);
                return;
            }

            if (_freeCount == 0)
            {
                // The consumer holds every other buffer: drop the frame just read rather than grow the pool.
                Interlocked.Increment(ref _dropped);
                return;
            }

            WriteTarget = _free[--_freeCount];
            if (_waiting)
            {
                _waiting = false;
                handToWaiter = true;
            }
            else
            {
                _slot = frame;
            }
        }

        if (handToWaiter)
        {
            _waiter.SetResult(frame);
        }
    }

    /// <summary>No more frames will come (a file ended, or the capture stopped); a waiting consumer gets null.</summary>
    internal void Complete()
    {
        bool wake;
        lock (_lock)
        {
            _completed = true;
            wake = _waiting;
            _waiting = false;
        }

        if (wake)
        {
            _waiter.SetResult(null);
        }
    }

    public bool TryTake(out CameraFrame? frame)
    {
        lock (_lock)
        {
            frame = _slot;
            _slot = null;
            return frame is not null;
        }
    }

    /// <summary>
    /// The newest frame, waiting for one if needed; null once the capture has ended. One consumer only, one call
    /// outstanding at a time. Does not allocate.
    /// </summary>
    public ValueTask<CameraFrame?> TakeAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_slot is { } ready)
            {
                _slot = null;
                return new ValueTask<CameraFrame?>(ready);
            }

            if (_completed)
            {
                return new ValueTask<CameraFrame?>((CameraFrame?)null);
            }

            if (_waiting)
            {
                throw new InvalidOperationException("FrameHandoff has a single consumer; a TakeAsync is already pending");
            }

            cancellationToken.ThrowIfCancellationRequested();
            _waiter.Reset();
            _waiting = true;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((FrameHandoff)state!).Cancel(token), this);
            }
        }

        return new ValueTask<CameraFrame?>(this, _waiter.Version);
    }

    /// <summary>Gives a frame's buffer back to the pool; the frame must not be used afterwards.</summary>
    public void Return(CameraFrame frame)
    {
        lock (_lock)
        {
            if (_freeCount == _free.Length || Array.IndexOf(_free, frame, 0, _freeCount) >= 0 || ReferenceEquals(frame, _slot))
            {
                throw new InvalidOperationException("frame returned twice or not taken from this handoff");
            }

            _free[_freeCount++] = frame;
        }
    }

    CameraFrame? IValueTaskSource<CameraFrame?>.GetResult(short token)
    {
        _cancellation.Dispose();
        _cancellation = default;
        return _waiter.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<CameraFrame?>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<CameraFrame?>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    private void Cancel(CancellationToken token)
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
        }

        _waiter.SetException(new OperationCanceledException(token));
    }
}
