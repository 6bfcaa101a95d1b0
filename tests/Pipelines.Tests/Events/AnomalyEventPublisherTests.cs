using System.Text;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Events;

public sealed class AnomalyEventPublisherTests
{
    private static readonly long T0 = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc).Ticks;

    private static (AnomalyEventPublisher Publisher, ReconstructionScorer Scorer, RecordingQueue Queue) Create(AlertOptions options)
    {
        var queue = new RecordingQueue();
        var scorer = new ReconstructionScorer([.. new[] { "temp.mean", "temp.std", "vib.rms" }.Select(Encoding.UTF8.GetBytes)]);
        var alert = new AlertStateMachine(options, null);
        return (new AnomalyEventPublisher("dev-1", "boiler", options, alert, scorer, 2, queue), scorer, queue);
    }

    private static long At(double seconds) => T0 + (long)(seconds * TimeSpan.TicksPerSecond);

    [Fact]
    public void Start_update_and_end_events_carry_what_an_operator_needs()
    {
        var (publisher, scorer, queue) = Create(new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, UpdateIntervalSeconds = 20 });
        double Window(int i, float error)
        {
            var score = scorer.Score([0, 0, 0], [error, error / 4, 0]);
            publisher.OnWindow(score, At((i * 10) - 30), At(i * 10));
            return score;
        }

        Window(1, 0.1f);
        Window(2, 3f);      // start
        Window(3, 3f);      // 10 s after start: no update yet
        Window(4, 4f);      // 20 s: update
        Window(5, 3.5f);    // 30 s: capped
        Window(6, 0.1f);    // end

        queue.Messages.Where(m => m.Topic == "events/boiler").Should().OnlyContain(m => m.Options == MessageOptions.Event);
        var events = queue.Events();
        events.Select(e => e.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_update", "anomaly_end");
        events.Select(e => e.GetProperty("id").GetString()).Should().OnlyHaveUniqueItems("every message has its own id");

        // The retained state Home Assistant reads: OFF at the first window, ON at start, OFF at end.
        queue.Messages.Where(m => m.Topic == "alerts/boiler").Should().OnlyContain(m => m.Options == MessageOptions.RetainedState)
            .And.Subject.Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)).Should().Equal("OFF", "ON", "OFF");
        queue.Messages.Where(m => m.Topic == "alerts/boiler/attributes").Should().HaveCount(4, "with each state and the update");

        var start = events[0];
        var id = start.GetProperty("alertId").GetGuid();
        start.GetProperty("ts").GetString().Should().Be("2024-06-01T12:00:20Z");
        start.GetProperty("device").GetString().Should().Be("dev-1");
        start.GetProperty("pipeline").GetString().Should().Be("boiler");
        start.GetProperty("severity").GetString().Should().Be("critical");
        start.GetProperty("score").GetDouble().Should().BeApproximately((9 + (0.75 * 0.75)) / 3, 1e-6);
        start.GetProperty("threshold").GetDouble().Should().Be(1);
        start.GetProperty("window").GetProperty("start").GetString().Should().Be("2024-06-01T11:59:50Z");
        start.GetProperty("window").GetProperty("end").GetString().Should().Be("2024-06-01T12:00:20Z");
        var features = start.GetProperty("features").EnumerateArray().ToList();
        features.Select(f => f.GetProperty("name").GetString()).Should().Equal("temp.mean", "temp.std");
        features[0].GetProperty("contribution").GetDouble().Should().BeApproximately(9 / 9.5625, 1e-6);

        events[1].GetProperty("alertId").GetGuid().Should().Be(id);
        events[1].GetProperty("ts").GetString().Should().Be("2024-06-01T12:00:40Z");
        events[1].GetProperty("peakScore").GetDouble().Should().BeGreaterThan(5);

        var end = events[2];
        end.GetProperty("alertId").GetGuid().Should().Be(id);
        end.GetProperty("ts").GetString().Should().Be("2024-06-01T12:01:00Z");
        end.GetProperty("started").GetString().Should().Be("2024-06-01T11:59:50Z");
        end.GetProperty("durationSeconds").GetDouble().Should().Be(70);
        end.GetProperty("peakScore").GetDouble().Should().Be(events[1].GetProperty("peakScore").GetDouble());
    }

    [Fact]
    public void Score_telemetry_is_capped()
    {
        var (publisher, _, queue) = Create(new AlertOptions { RaiseThreshold = 10, ScoreIntervalSeconds = 60, UpdateIntervalSeconds = 0 });
        for (var i = 0; i < 30; i++)
        {
            publisher.OnWindow(0.5, At(i * 10), At((i * 10) + 10));
        }

        var scores = queue.Events("score");
        scores.Should().HaveCount(5);
        scores[0].GetProperty("active").GetBoolean().Should().BeFalse();
        scores[0].GetProperty("score").GetDouble().Should().Be(0.5);
    }

    [Fact]
    public void Publishing_allocates_nothing_per_event_once_warm()
    {
        var queue = new CountingQueue();
        var options = new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0, UpdateIntervalSeconds = 10, ScoreIntervalSeconds = 10 };
        var scorer = new ReconstructionScorer([.. Enumerable.Range(0, 8).Select(i => Encoding.UTF8.GetBytes($"f{i}"))]);
        var publisher = new AnomalyEventPublisher("dev", "p", options, new AlertStateMachine(options, null), scorer, 3, queue);
        var input = new float[8];
        var output = new float[8];
        void Run(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                output[i % 8] = (i / 5) % 2 == 0 ? 3 : 0;
                var score = scorer.Score(input, output);
                publisher.OnWindow(score, At(i * 10), At((i * 10) + 10));
                output[i % 8] = 0;
            }
        }

        Run(0, 50);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var published = queue.Count;
        Run(50, 1050);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        (queue.Count - published).Should().BeGreaterThan(1000, "starts, updates, ends and scores were all written");
    }

    private sealed class CountingQueue : IOutboundQueue
    {
        public int Count { get; private set; }

        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options) => Count++;
    }
}
