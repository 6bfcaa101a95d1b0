using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Native;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class InferenceRuntimeTests
{
    private readonly RuntimeFixture _fixture;

    public InferenceRuntimeTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void The_runtime_reports_the_loaded_library_version_and_providers()
    {
        var runtime = _fixture.Runtime;

        runtime.Version.Should().Be("1.30.0");
        runtime.LibraryPath.Should().Be(Path.GetFullPath(Environment.GetEnvironmentVariable(OrtLibrary.EnvironmentVariable)!));
        runtime.AvailableProviders.Should().Contain("CPUExecutionProvider");
        runtime.ArenaBudgetBytes.Should().Be(256L * 1024 * 1024);
    }

    [Fact]
    public void The_api_table_self_check_passes_on_the_real_library()
    {
        _ = _fixture.Runtime;

        var check = () => OrtApi.Instance.SelfCheck();

        check.Should().NotThrow();
        OrtApi.Instance.BuildInfo.Should().Contain("ORT Build Info");
    }

    [Fact]
    public void A_second_library_in_the_same_process_is_refused_naming_the_loaded_one()
    {
        _ = _fixture.Runtime;

        var act = () => InferenceRuntime.Create(new InferenceOptions { RuntimeLibrary = "/opt/other/libonnxruntime.so.1" });

        act.Should().Throw<RuntimeUnavailableException>()
            .WithMessage("*already loaded from*one runtime library only*/opt/other/libonnxruntime.so.1*");
    }

    [Fact]
    public void An_ort_error_carries_its_code_and_message_into_an_OrtException()
    {
        _ = _fixture.Runtime;
        using var options = new NativeSessionOptions(OrtApi.Instance);

        var act = () => options.SetGraphOptimizationLevel(12345);

        act.Should().Throw<OrtException>().Where(e => e.Code == OrtErrorCode.InvalidArgument || e.Code == OrtErrorCode.Fail)
            .Which.Message.Should().NotBeNullOrEmpty();
    }
}
