using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

public sealed class SchemaGeneratorTests
{
    [Fact]
    public void Checked_in_schema_matches_the_options_classes()
    {
        var generated = SchemaGenerator.Generate(typeof(AgentOptions));
        var checkedIn = File.ReadAllText(RepositoryPaths.File("config", "edgeagent.schema.json"));
        checkedIn.ReplaceLineEndings().Should().Be(generated.ReplaceLineEndings(),
            "config/edgeagent.schema.json must be regenerated with 'edgeagent schema > config/edgeagent.schema.json' after an options change");
    }

    [Fact]
    public void Schema_carries_ranges_enums_and_closes_objects()
    {
        using var schema = JsonDocument.Parse(SchemaGenerator.Generate(typeof(AgentOptions)));
        var port = schema.RootElement.GetProperty("properties").GetProperty("mqtt").GetProperty("properties").GetProperty("port");
        port.GetProperty("minimum").GetDouble().Should().Be(1);
        port.GetProperty("maximum").GetDouble().Should().Be(65535);
        port.GetProperty("default").GetDouble().Should().Be(1883);
        schema.RootElement.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        var level = schema.RootElement.GetProperty("properties").GetProperty("logging").GetProperty("properties").GetProperty("level");
        level.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Should().Contain("warning");
    }
}
