using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Logging;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Mqtt.Bench;

/// <summary>
/// Runs the agent's own outbox and MQTT link in-process, offers synthetic events from several producer threads and
/// times each from Enqueue to its acknowledgement (PUBACK for QoS 1) as the outbox pump sees it.
/// </summary>
internal static class MqttBench
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<BenchOutcome> RunAsync(LoadedConfig loaded, BenchSettings settings, CancellationToken cancellationToken)
    {
        var options = loaded.Options;
        options.Outbox.DrainRatePerSecond = settings.DrainRate;
        if (!DirectoryProbe.TryEnsureWritable(options.StateDirectory, out var error))
        {
            throw new AgentStartupException($"stateDirectory '{options.StateDirectory}' cannot be written: {error}", 73);
        }

        var environment = ProcessEnvironment.Snapshot();
        using var logger = LoggingSetup.Create(options, environment);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAgentCore(loaded, logger);
        builder.Services.AddOutbox(options);
        builder.Services.AddMqtt(options);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outbox = host.Services.GetRequiredService<DurableOutbox>();
            var link = host.Services.GetRequiredService<MqttLink>();
            await WaitAsync(() => link.State == ConnectionState.Connected, ConnectTimeout, cancellationToken,
                () => $"the broker {link.Host}:{link.Port} was not reachable within {ConnectTimeout.TotalSeconds:F0}s (see the log above)").ConfigureAwait(false);

            // A backlog from before is sent first (in order, as always); the measurement starts on an empty outbox.
            await WaitAsync(() => outbox.Statistics.Depth == 0, TimeSpan.FromMinutes(5), cancellationToken,
                () => $"the outbox still holds {outbox.Statistics.Depth} older messages").ConfigureAwait(false);
            return await MeasureAsync(outbox, options, settings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<BenchOutcome> MeasureAsync(DurableOutbox outbox, AgentOptions options, BenchSettings settings, CancellationToken cancellationToken)
    {
        var count = settings.Count;
        var enqueued = new long[count + 1];
        var acknowledged = new long[count + 1];
        long ackCount = 0;
        var baseSeq = outbox.Statistics.Accepted == 0 ? outbox.LastSeqAtOpen : throw new InvalidOperationException("the bench needs the outbox to itself");
        outbox.DeliveredObserver = seq =>
        {
            var ticket = seq - baseSeq;
            if (ticket >= 1 && ticket <= count && acknowledged[ticket] == 0)
            {
                acknowledged[ticket] = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref ackCount);
            }
        };

        var producerAllocated = new long[settings.Producers];
        var processAllocatedAtHalf = 0L;
        var halfTicket = count / 2;
        var start = Stopwatch.GetTimestamp();
        var threads = new Thread[settings.Producers];
        var next = 0L;
        for (var p = 0; p < settings.Producers; p++)
        {
            var index = p;
            threads[p] = new Thread(() =>
            {
                var producer = new BenchProducer(options.DeviceId, settings);
                var allocatedAtStart = 0L;
                var counted = 0L;
                while (true)
                {
                    var n = Interlocked.Increment(ref next);
                    if (n > count)
                    {
                        break;
                    }

                    if (settings.Rate > 0)
                    {
                        Pace(start, n, settings.Rate);
                    }

                    if (n == halfTicket)
                    {
                        processAllocatedAtHalf = GC.GetTotalAllocatedBytes(precise: false);
                    }

                    if (n > halfTicket && allocatedAtStart == 0)
                    {
                        allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
                    }

                    var payload = producer.Write(n);
                    var before = Stopwatch.GetTimestamp();
                    var ticket = outbox.EnqueueAndGetTicket("bench"u8, payload, new MessageOptions((byte)settings.Qos, false));
                    enqueued[ticket] = before;
                    if (allocatedAtStart != 0)
                    {
                        counted++;
                    }
                }

                producerAllocated[index] = counted == 0 ? 0 : (GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart) / counted;
            }) { Name = $"bench-producer-{p}", IsBackground = true };
            threads[p].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var enqueueEnd = Stopwatch.GetTimestamp();
        var deadline = TimeSpan.FromSeconds(60 + (count / 1000.0));
        var complete = true;
        try
        {
            await WaitAsync(() => Interlocked.Read(ref ackCount) >= count, deadline, cancellationToken, () => "acknowledgements missing").ConfigureAwait(false);
        }
        catch (StartupException)
        {
            complete = false;
        }

        var processAllocated = GC.GetTotalAllocatedBytes(precise: false) - processAllocatedAtHalf;
        outbox.DeliveredObserver = null;
        var latencies = new List<double>(count);
        var lastAck = start;
        for (var t = 1; t <= count; t++)
        {
            if (acknowledged[t] != 0 && enqueued[t] != 0)
            {
                latencies.Add((acknowledged[t] - enqueued[t]) * 1000.0 / Stopwatch.Frequency);
                lastAck = Math.Max(lastAck, acknowledged[t]);
            }
        }

        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new BenchOutcome(settings, options.Outbox.Synchronous.ToString().ToLowerInvariant(), latencies.Count,
            (lastAck - start) / (double)Stopwatch.Frequency, (enqueueEnd - start) / (double)Stopwatch.Frequency,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), latencies.Count == 0 ? 0 : latencies[^1],
            producerAllocated.Average(), processAllocated / Math.Max(1.0, count - halfTicket), complete);
    }

    private static void Pace(long start, long n, int rate)
    {
        var due = start + (long)(n * (double)Stopwatch.Frequency / rate);
        while (true)
        {
            var wait = due - Stopwatch.GetTimestamp();
            if (wait <= 0)
            {
                return;
            }

            var ms = (int)(wait * 1000 / Stopwatch.Frequency);
            if (ms > 1)
            {
                Thread.Sleep(ms - 1);
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken, Func<string> failure)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new AgentStartupException(failure(), 69);
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One producer's event writer: the JSON every event has (id, ts, device, pipeline, type) padded to size, in a reused buffer.</summary>
    private sealed class BenchProducer
    {
        private readonly ArrayBufferWriter<byte> _buffer;
        private readonly Utf8JsonWriter _writer;
        private readonly string _device;
        private readonly byte[] _padding;

        public BenchProducer(string device, BenchSettings settings)
        {
            _device = device;
            _buffer = new ArrayBufferWriter<byte>(settings.PayloadBytes + 256);
            _writer = new Utf8JsonWriter(_buffer);
            _padding = new byte[Math.Max(0, settings.PayloadBytes - 130 - device.Length)];
            _padding.AsSpan().Fill((byte)'x');
        }

        public ReadOnlySpan<byte> Write(long n)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            _writer.WriteStartObject();
            _writer.WriteNumber("id"u8, n);
            _writer.WriteString("ts"u8, DateTime.UtcNow);
            _writer.WriteString("device"u8, _device);
            _writer.WriteString("pipeline"u8, "bench"u8);
            _writer.WriteString("type"u8, "bench"u8);
            _writer.WriteString("pad"u8, _padding);
            _writer.WriteEndObject();
            _writer.Flush();
            return _buffer.WrittenSpan;
        }
    }
}
