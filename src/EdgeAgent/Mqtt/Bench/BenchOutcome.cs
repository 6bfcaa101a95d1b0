using System.Globalization;
using System.Text.Json;

namespace EdgeAgent.Mqtt.Bench;

internal sealed record BenchOutcome(
    BenchSettings Settings,
    string Synchronous,
    long Acknowledged,
    double Seconds,
    double EnqueueSeconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double AllocatedBytesPerEventProducers,
    double AllocatedBytesPerEventProcess,
    bool Complete)
{
    public double EventsPerSecond => Seconds > 0 ? Acknowledged / Seconds : 0;

    public double EnqueuedPerSecond => EnqueueSeconds > 0 ? Settings.Count / EnqueueSeconds : 0;

    public string ToText() => string.Create(CultureInfo.InvariantCulture, $"""
        mqtt bench: {Acknowledged}/{Settings.Count} events acknowledged, QoS {Settings.Qos}, {Settings.PayloadBytes} B payload, {Settings.Producers} producers, rate {(Settings.Rate == 0 ? "unlimited" : Settings.Rate + "/s")}, synchronous={Synchronous}
          throughput      {EventsPerSecond:F0} events/s end to end ({Seconds:F2} s); enqueue {EnqueuedPerSecond:F0} events/s
          enqueue->{(Settings.Qos == 1 ? "PUBACK" : "sent")}  p50 {P50Ms:F2} ms  p90 {P90Ms:F2} ms  p99 {P99Ms:F2} ms  max {MaxMs:F2} ms
          allocated       {AllocatedBytesPerEventProducers:F1} B/event on producer threads, {AllocatedBytesPerEventProcess:F1} B/event whole process (second half of the run)
        """);

    public string ToJson() => JsonSerializer.Serialize(
        new BenchReport(
            Settings.Count,
            Settings.Qos,
            Settings.PayloadBytes,
            Settings.Producers,
            Settings.Rate,
            Synchronous,
            Acknowledged,
            Math.Round(Seconds, 3),
            Math.Round(EventsPerSecond, 0),
            Math.Round(EnqueuedPerSecond, 0),
            new BenchLatency(Math.Round(P50Ms, 3), Math.Round(P90Ms, 3), Math.Round(P99Ms, 3), Math.Round(MaxMs, 3)),
            new BenchAllocation(Math.Round(AllocatedBytesPerEventProducers, 2), Math.Round(AllocatedBytesPerEventProcess, 2)),
            Complete),
        BenchJsonContext.Default.BenchReport);
}
