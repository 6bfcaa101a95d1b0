using EdgeAgent.Mqtt;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("+/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("#", "x/y", true)]
    [InlineData("a/+/c", "a/b/d", false)]
    public void Matches_like_the_broker(string filter, string topic, bool expected) =>
        TopicFilter.Matches(filter, topic).Should().Be(expected);

    [Theory]
    [InlineData("a/#/b", false)]
    [InlineData("a/b#", false)]
    [InlineData("a/b+", false)]
    [InlineData("", false)]
    [InlineData("ota/+/desired", true)]
    public void Rejects_malformed_filters(string filter, bool valid) => TopicFilter.IsValid(filter).Should().Be(valid);
}
