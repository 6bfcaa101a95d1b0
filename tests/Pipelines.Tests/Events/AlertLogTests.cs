using System.Text;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Events;

/// <summary>The journal's side of an alert: the publisher tells <see cref="AlertLog"/> of each start and end.</summary>
public sealed class AlertLogTests
{
    private static readonly long T0 = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc).Ticks;

    private static long At(double seconds) => T0 + (long)(seconds * TimeSpan.TicksPerSecond);

    [Fact]
    public void Start_and_end_are_logged_once_each_with_score_threshold_and_top_features()
    {
        var logger = new LineLogger();
        var options = new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, UpdateIntervalSeconds = 5 };
        var scorer = new ReconstructionScorer([.. new[] { "temp.mean", "temp.std", "vib.rms" }.Select(Encoding.UTF8.GetBytes)]);
        var publisher = new AnomalyEventPublisher("dev", "boiler", options, new AlertStateMachine(options, null), scorer, 2, new RecordingQueue(),
            new AlertLog("boiler", logger));

        void Window(int i, float error) => publisher.OnWindow(scorer.Score([0, 0, 0], [error, error / 4, 0]), At(i * 10), At((i * 10) + 10));
        Window(0, 0.1f);
        logger.Lines.Should().BeEmpty("a normal window logs nothing");
        Window(1, 3f);
        Window(2, 3f);
        Window(3, 3f);
        Window(4, 0.1f);

        logger.Lines.Should().HaveCount(2, "updates are not logged, only the start and the end");
        logger.Lines[0].Should().StartWith("Information 2120: Alert started on boiler: critical, score 3.188 >= threshold 1.000; top: temp.mean 94%, temp.std 6%");
        logger.Lines[1].Should().StartWith("Information 2121: Alert ended on boiler: critical, peak score 3.188, back below 0.500 after 40.0 s");
    }

    [Fact]
    public void A_flapping_pipeline_is_held_to_a_burst_and_the_next_line_counts_what_was_left_out()
    {
        var logger = new LineLogger();
        var log = new AlertLog("flappy", logger);
        var options = new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0 };
        var alert = new AlertStateMachine(options, null);
        for (var i = 0; i < 30; i++)
        {
            alert.Update(2, At(i), At(i + 1)).Should().Be(AlertTransition.Started);
            log.Started(alert, 2, [], [], [], []);
            alert.Update(0, At(i + 1), At(i + 2)).Should().Be(AlertTransition.Ended);
            log.Ended(alert);
        }

        logger.Lines.Should().HaveCount(10);
        log.Suppressed.Should().Be(50);
    }

    [Fact]
    public void A_detector_names_its_boxes()
    {
        AlertLog.Evidence([], [], [], [new Detection(0.1f, 0.2f, 0.4f, 0.8f, 0.91f, 0)])
            .Should().Be("boxes: class 0 0.91 at (0.10,0.20)-(0.40,0.80)");
    }

    private sealed class LineLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel} {eventId.Id}: {formatter(state, exception)}");
    }
}
