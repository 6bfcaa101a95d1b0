using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class JsonFieldExtractorTests
{
    [Fact]
    public void Finds_fields_by_path_through_objects_and_arrays()
    {
        // Shapes of Zigbee2MQTT and Tasmota payloads, plus an array path.
        var extractor = new JsonFieldExtractor(["temperature", "ENERGY.Power", "sensors.1.value", "battery"]);
        var json = """
            {"linkquality":120,"temperature":21.5,"ENERGY":{"Total":3.2,"Power":"47"},
             "sensors":[{"value":1},{"value":-2.5e1,"extra":[1,2,{"deep":true}]}],"battery":null,"ignored":{"a":[[1]]}}
            """u8;
        var values = new double[4];
        var ticks = new long[4];
        extractor.TryExtract(json, values, ticks, out var found, out var nonNumeric).Should().BeTrue();
        found.Should().Be(0b0111UL);
        nonNumeric.Should().Be(0b1000UL);
        values[..3].Should().Equal(21.5, 47, -25);
    }

    [Fact]
    public void Reports_invalid_json_and_missing_fields()
    {
        var extractor = new JsonFieldExtractor(["a.b", "c"]);
        var values = new double[2];
        var ticks = new long[2];
        extractor.TryExtract("{\"a\":{\"x\":1},\"c\":\"hot\"}"u8, values, ticks, out var found, out var nonNumeric).Should().BeTrue();
        found.Should().Be(0);
        nonNumeric.Should().Be(0b10UL);
        extractor.TryExtract("{\"a\":"u8, values, ticks, out _, out _).Should().BeFalse();
        extractor.TryExtract("not json"u8, values, ticks, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Extracting_allocates_nothing()
    {
        var extractor = new JsonFieldExtractor(["temperature", "sensors.0.value"]);
        var json = "{\"temperature\":21.5,\"sensors\":[{\"value\":3}],\"other\":{\"x\":[1,2,3]}}"u8.ToArray();
        var values = new double[2];
        var ticks = new long[2];
        extractor.TryExtract(json, values, ticks, out _, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            extractor.TryExtract(json, values, ticks, out _, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        values.Should().Equal(21.5, 3);
    }
}
