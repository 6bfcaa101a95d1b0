using System.Text;
using EdgeAgent.Ota;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed class DesiredStateParserTests
{
    private static readonly HashSet<string> Pipelines = ["line1", "line2"];
    private const string Sha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static IReadOnlyList<DesiredModel> Parse(string json, string source = "device") =>
        DesiredStateParser.Parse(Encoding.UTF8.GetBytes(json), source, Pipelines);

    private static string Entry(string version, string url = "https://models.example/vib.tar") =>
        $$"""{ "name": "vib", "version": "{{version}}", "url": "{{url}}", "sha256": "{{Sha}}", "size": 1234 }""";

    [Fact]
    public void Valid_desired_state_is_parsed()
    {
        var desired = Parse($$"""{ "pipelines": { "line1": {{Entry("2")}} } }""").Should().ContainSingle().Which;
        desired.Should().Match<DesiredModel>(d => d.Pipeline == "line1" && d.Version == "2" && d.Size == 1234 && d.Url.Host == "models.example");
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[]", "must be an object with a 'pipelines' object")]
    [InlineData("""{ "pipelines": { "line1": { "name": "vib" } } }""", "pipelines.line1.version is required")]
    [InlineData("""{ "pipelines": { "line1": { "name": "vib", "version": "1", "url": "ftp://x/y", "sha256": "aa", "size": 1 } } }""", "url must be an absolute https://")]
    [InlineData("""{ "pipelines": { "line1": { "name": "vib", "version": "1", "url": "https://x/y", "sha256": "zz", "size": 1 } } }""", "sha256 must be 64 hex digits")]
    public void Malformed_desired_state_is_rejected_naming_the_field(string json, string expected)
    {
        var rejection = FluentActions.Invoking(() => Parse(json)).Should().Throw<OtaRejectedException>().Which;
        rejection.Reason.Should().Be(RejectionReason.MalformedRequest);
        rejection.Message.Should().Contain(expected);
    }

    [Fact]
    public void Unknown_pipeline_is_rejected()
    {
        FluentActions.Invoking(() => Parse($$"""{ "pipelines": { "nope": {{Entry("1")}} } }"""))
            .Should().Throw<OtaRejectedException>().Which.Reason.Should().Be(RejectionReason.UnknownPipeline);
    }

    [Fact]
    public void Device_topic_wins_over_groups_and_earlier_groups_over_later()
    {
        var device = Parse($$"""{ "pipelines": { "line1": {{Entry("device")}} } }""");
        var groupA = Parse($$"""{ "pipelines": { "line1": {{Entry("a1")}}, "line2": {{Entry("a2")}} } }""", "group a");
        var groupB = Parse($$"""{ "pipelines": { "line2": {{Entry("b2")}} } }""", "group b");
        var merged = DesiredStateParser.Merge(device, [groupA, groupB]);
        merged["line1"].Version.Should().Be("device");
        merged["line2"].Version.Should().Be("a2");
    }
}
