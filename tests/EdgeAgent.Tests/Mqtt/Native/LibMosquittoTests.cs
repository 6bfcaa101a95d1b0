using EdgeAgent.Mqtt.Native;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt.Native;

/// <summary>Error words from the installed libmosquitto, and ours where it has none.</summary>
public sealed class LibMosquittoTests
{
    [Fact]
    public void A_keepalive_timeout_is_named_not_unknown()
    {
        // An emulated arm64 run logged "lost the connection ... Unknown error.": libmosquitto 2.0.11's words for
        // MOSQ_ERR_KEEPALIVE. The link-down message must say what happened.
        LibMosquitto.EnsureLoaded();
        LibMosquitto.Describe((int)MosqErr.Keepalive, 0).Should().Contain("keepalive").And.Contain("mqtt.keepAliveSeconds").And.NotContain("Unknown");
    }

    [Fact]
    public void The_library_words_are_kept_where_it_has_them()
    {
        LibMosquitto.EnsureLoaded();
        LibMosquitto.Describe((int)MosqErr.ConnLost, 0).Should().Be("The connection was lost.");
        LibMosquitto.Describe((int)MosqErr.Errno, 111).Should().Be("Connection refused");
        LibMosquitto.Describe(99, 0).Should().Contain("MOSQ_ERR 99");
    }
}
