using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace EdgeAgent.Pipelines.Tests.Processing;

public sealed class NabDetectionQualityTests
{
    private readonly ITestOutputHelper _output;

    public NabDetectionQualityTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static NabSettings Settings { get; } = new();

    [Theory]
    [InlineData("machine_temperature_system_failure.csv")]
    [InlineData("art_daily_jumpsup.csv")]
    [InlineData("art_daily_small_noise.csv")]
    [InlineData("ambient_temperature_system_failure.csv")]
    [InlineData("ec2_request_latency_system_failure.csv")]
    public async Task Report(string file)
    {
        var result = await NabHarness.RunAsync(file, Settings);
        _output.WriteLine($"{file}: {result.Quality}; calibrated on {result.CalibrationWindows} windows, k={result.Model.ComponentCount}, threshold {result.Model.Threshold:G4}");
        result.Quality.ScoredWindows.Should().BeGreaterThan(100);
    }
}
