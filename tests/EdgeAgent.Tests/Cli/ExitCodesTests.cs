using EdgeAgent.Cli;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Configuration;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>The library throws typed start-up failures; only the host turns them into sysexits codes, here.</summary>
public sealed class ExitCodesTests
{
    [Fact]
    public void Each_kind_of_start_up_failure_maps_to_its_sysexits_code()
    {
        ExitCodes.Of(new ModelUnusableException("model gone")).Should().Be(65);
        ExitCodes.Of(new InvalidInputFileException("replay.csv: no column 'value'")).Should().Be(65);
        ExitCodes.Of(new RuntimeUnavailableException("libonnxruntime.so missing")).Should().Be(69);
        ExitCodes.Of(new ConfigurationException("mqtt source without mqtt.enabled")).Should().Be(78);
        ExitCodes.Of(new AgentStartupException("state directory not writable", ExitCodes.CantCreate)).Should().Be(73);
    }
}
