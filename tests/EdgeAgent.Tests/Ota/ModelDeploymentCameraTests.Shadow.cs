using EdgeAgent.Ota;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The camera shadow period with the real ORT library and real ffmpeg frames: the candidate scores the live frames
/// beside the active model, is promoted within the bounds (its loaded session swapped in) or rejected with
/// ShadowFailed while the active model keeps serving; the loop scores every frame it takes exactly once throughout.
/// </summary>
public sealed partial class ModelDeploymentCameraTests
{
    // Generous latency bounds: the test is about the decision, not about timing on a busy 2-core machine.
    private static OtaOptions ShadowOta() => new()
    {
        HealthWatchSeconds = 1, SwapTimeoutSeconds = 30,
        Shadow = { Seconds = 2, MinWindows = 20, MaxSeconds = 60, MaxLatencyRatio = 1000 },
    };

    [Fact]
    public async Task A_candidate_within_bounds_shadows_live_frames_then_is_promoted()
    {
        await using var camera = Start();
        var old = camera.Pipeline.Model;
        var deployment = Deployment(camera.Pipeline, ShadowOta());
        await camera.WaitForFramesAsync(5);
        var states = new List<UpdateState>();
        var scoredBefore = camera.Pipeline.FramesScored;

        var failure = await deployment.DeployAsync("cam", Candidate("2.0.0"), states.Add, CancellationToken.None);

        failure.Should().BeNull();
        states.Should().Equal(UpdateState.Shadow);
        var shadow = deployment.LastShadow!.Value;
        shadow.Windows.Should().BeGreaterThanOrEqualTo(20);
        shadow.Failed.Should().Be(0);
        shadow.CandidateAlerts.Should().Be(shadow.ActiveAlerts, "the same model with the same threshold on the same preprocessed frames");
        var swappedAt = deployment.LastSwap!.ScoredBefore;
        (swappedAt - scoredBefore).Should().BeGreaterThanOrEqualTo(shadow.Windows, "the active model scored (and published) every shadowed frame before the swap");
        await camera.WaitForFramesAsync(camera.Pipeline.FramesScored + 10);
        await camera.StopAsync();
        var pipeline = camera.Pipeline;
        pipeline.Model.Should().BeSameAs(deployment.LastShadowCandidate, "the session that shadowed is the one swapped in, not a reload");
        pipeline.FramesScored.Should().Be(camera.FramesTaken, "every frame taken was scored once by the serving model, through the shadow and the swap");
        pipeline.Slot.Runs.Should().Be(pipeline.FramesScored, "the candidate's shadow runs are not the pipeline's");
        var disposed = () => old.Run();
        disposed.Should().Throw<ObjectDisposedException>();
        deployment.Serving("cam").Should().Be(("camera-demo", "2.0.0"));
    }

    [Fact]
    public async Task A_candidate_alerting_on_far_more_frames_is_rejected_and_the_active_model_keeps_serving()
    {
        // The colour bars the bundled model learnt as normal: the active model raises no alert on them.
        _clip = "smptebars=size=320x240:rate=25:duration=2,noise=alls=6:allf=t:all_seed=42";
        await using var camera = Start();
        var old = camera.Pipeline.Model;
        var deployment = Deployment(camera.Pipeline, ShadowOta());
        await camera.WaitForFramesAsync(5);
        var states = new List<UpdateState>();
        var eventsBefore = camera.Pipeline.EventsPublished;
        var activeThreshold = camera.Pipeline.Alert.RaiseThreshold;

        // The same model with a threshold every frame's score reaches.
        var failure = await deployment.DeployAsync("cam", Candidate("2.0.0", manifest: m => m["threshold"] = -1.0), states.Add, CancellationToken.None);

        failure.Should().NotBeNull($"shadow {deployment.LastShadow}, active threshold {activeThreshold}, last score {camera.Pipeline.LastScore}");
        failure!.Reason.Should().Be(RejectionReason.ShadowFailed);
        failure.RolledBack.Should().BeFalse();
        states.Should().Equal(UpdateState.Shadow);
        var shadow = deployment.LastShadow!.Value;
        shadow.CandidateAlerts.Should().Be(shadow.Windows);
        shadow.ActiveAlerts.Should().Be(0, "the active model's threshold is its model.json's");
        failure.Message.Should().Contain($"alerted on 100% of {shadow.Windows} frames vs 0% for the active model")
            .And.Contain("maxAlertRateIncrease 5 percentage points").And.EndWith("the active model keeps serving");
        deployment.LastSwap.Should().BeNull("nothing was swapped");
        camera.Pipeline.Model.Should().BeSameAs(old);
        var rejected = () => deployment.LastShadowCandidate!.Run();
        rejected.Should().Throw<ObjectDisposedException>("the rejected candidate's session is released");
        camera.Pipeline.EventsPublished.Should().Be(eventsBefore, "nothing the candidate computed was published");
        await camera.WaitForFramesAsync(camera.Pipeline.FramesScored + 10);
        await camera.StopAsync();
        camera.Pipeline.FramesScored.Should().Be(camera.FramesTaken);
        camera.Pipeline.Slot.Runs.Should().Be(camera.Pipeline.FramesScored);
        deployment.Serving("cam").Should().Be(("camera-demo", "1.0.0"));
    }
}
