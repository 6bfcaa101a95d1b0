using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Configuration;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

public sealed class EffectiveConfigWriterTests
{
    public sealed class WithSecret
    {
        public string User { get; set; } = "alice";

        [Secret]
        public string Password { get; set; } = "hunter2";

        [Secret]
        public string Unset { get; set; } = string.Empty;
    }

    [Fact]
    public void Secrets_are_masked_and_keys_are_camel_case()
    {
        var json = EffectiveConfigWriter.Write(new WithSecret());
        json.Should().NotContain("hunter2");
        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("user").GetString().Should().Be("alice");
        document.RootElement.GetProperty("password").GetString().Should().Be(EffectiveConfigWriter.Mask);
        document.RootElement.GetProperty("unset").GetString().Should().BeEmpty("an empty secret shows that none is set");
    }

    [Fact]
    public void Whole_configuration_round_trips_through_the_loader()
    {
        using var dir = new EdgeAgent.Pipelines.Tests.Support.TempDirectory();
        var environment = new Dictionary<string, string> { ["STATE_DIRECTORY"] = dir.Combine("s") };
        var options = ConfigLoader.Load(ConfigSources.None with { Overrides = ["mqtt.port=1999"] }, environment).Options;
        var file = dir.Write("effective.json", EffectiveConfigWriter.Write(options));
        var again = ConfigLoader.Load(new ConfigSources([file], []), environment).Options;
        EffectiveConfigWriter.Write(again).Should().Be(EffectiveConfigWriter.Write(options));
    }
}
