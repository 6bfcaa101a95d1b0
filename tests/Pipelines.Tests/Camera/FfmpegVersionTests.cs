using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class FfmpegVersionTests
{
    [Theory]
    [InlineData("ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers", false)]
    [InlineData("ffmpeg version 5.0.1 Copyright (c) 2000-2022 the FFmpeg developers", false)]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers", true)]
    [InlineData("ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023 the FFmpeg developers", true)]
    [InlineData("ffmpeg version n7.0.2 Copyright (c) 2000-2024 the FFmpeg developers", true)]
    [InlineData("ffmpeg version N-113000-gabcdef Copyright (c) 2000-2024 the FFmpeg developers", true)]
    public void Fps_mode_is_used_from_release_5_1_on(string versionLine, bool fpsMode) =>
        FfmpegVersion.IsFpsModeRelease(versionLine).Should().Be(fpsMode);

    [Fact]
    public async Task The_installed_ffmpeg_and_an_old_one_each_get_an_option_they_accept()
    {
        // Whatever the installed release, the option chosen for it is one it runs with.
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-hide_banner", "-f", "lavfi", "-i", "testsrc2=size=32x32:rate=5", "-frames:v", "2",
                     .. FfmpegVersion.PassthroughArguments("ffmpeg"), "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"])
        {
            info.ArgumentList.Add(argument);
        }

        using (var ffmpeg = System.Diagnostics.Process.Start(info)!)
        {
            var frames = ffmpeg.StandardOutput.ReadToEndAsync();
            var errors = ffmpeg.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ffmpeg.WaitForExitAsync(timeout.Token);
            ffmpeg.ExitCode.Should().Be(0, await errors);
            (await frames).Length.Should().BeGreaterThan(0);
        }

        using var dir = new TempDirectory();
        var old = dir.Combine("ffmpeg-4.4");
        File.WriteAllText(old, "#!/bin/sh\necho 'ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers'\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        FfmpegVersion.PassthroughArguments(old).Should().Equal("-vsync", "passthrough");
    }
}
