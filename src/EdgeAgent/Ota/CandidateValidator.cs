using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Ota.Store;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// Validates a candidate in a child process before it is loaded into the agent (issue 17, defects 2 to 4), for
/// sensor and camera deployments alike: the agent's own executable with the hidden verb
/// <c>models validate-candidate</c> and the agent's own <c>--config</c>/<c>--set</c>, under an address-space limit
/// (<c>ota.validationMemoryMegabytes</c>) and a deadline (<c>ota.validationTimeoutSeconds</c>, then SIGKILL). A child
/// that dies is <c>crashed_validation</c>, one that overruns <c>validation_timeout</c>, a candidate whose runs are slower
/// than the pipeline's window or frame period or <c>ota.healthMaxLatencyMilliseconds</c> <c>too_slow</c>; whatever the
/// child itself rejects keeps its reason. Only a candidate that passed is then loaded in-process for the swap.
/// </summary>
public sealed partial class CandidateValidator
{
    private readonly OtaOptions _ota;
    private readonly ILogger _logger;
    private readonly string? _executable;
    private readonly IReadOnlyList<string> _configArguments;

    /// <param name="executable">The agent's executable; null: no child validation (the in-process checks still run).</param>
    /// <param name="configArguments">The --config/--set arguments the agent was started with.</param>
    public CandidateValidator(OtaOptions ota, string? executable, IReadOnlyList<string> configArguments, ILogger<CandidateValidator> logger)
    {
        _ota = ota;
        _executable = executable;
        _configArguments = configArguments;
        _logger = logger;
    }

    /// <summary>
    /// For the agent itself: its executable and the arguments after <c>run</c>, or null when this process is not
    /// <c>edgeagent run</c> (an in-process test host, where child validation is not available).
    /// </summary>
    public static (string Executable, IReadOnlyList<string> ConfigArguments)? OfThisProcess()
    {
        var args = Environment.GetCommandLineArgs();
        var path = Environment.ProcessPath;
        return path is not null && Path.GetFileName(path) == "edgeagent" && args.Length >= 2 && args[1] == "run"
            ? (path, args[2..])
            : null;
    }

    /// <summary>Runs the child; null when the candidate passed (or child validation is not available).</summary>
    /// <param name="input">The live model input (raw tensor bytes) to smoke-test on.</param>
    /// <param name="periodMilliseconds">The pipeline's window or frame period, when known.</param>
    public async Task<DeploymentFailure?> ValidateAsync(string pipeline, StoredModel model, byte[] input, double? periodMilliseconds, CancellationToken cancellationToken)
    {
        if (_executable is null)
        {
            return null;
        }

        var inputPath = Path.Combine(Path.GetTempPath(), $"edgeagent-candidate-{Guid.NewGuid():N}.input");
        await File.WriteAllBytesAsync(inputPath, input, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunChildAsync(pipeline, model, inputPath, periodMilliseconds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(inputPath);
        }
    }

    private async Task<DeploymentFailure?> RunChildAsync(string pipeline, StoredModel model, string inputPath, double? periodMilliseconds, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_executable!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "models", "validate-candidate", "--pipeline", pipeline, "--model", model.Directory, "--input", inputPath,
                     "--memory-mb", _ota.ValidationMemoryMegabytes.ToString(CultureInfo.InvariantCulture) }.Concat(_configArguments))
        {
            info.ArgumentList.Add(argument);
        }

        // The child is not the agent: no systemd notifications.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");

        var what = $"{model.Name} {model.Version}";
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {_executable}");
        var stdout = child.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = child.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_ota.ValidationTimeoutSeconds));
        try
        {
            await child.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            LogKilled(_logger, pipeline, what, _ota.ValidationTimeoutSeconds);
            return new DeploymentFailure(RejectionReason.ValidationTimeout,
                $"{what}: validation did not finish within ota.validationTimeoutSeconds ({_ota.ValidationTimeoutSeconds} s); the validation process was killed", false);
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (child.ExitCode != 0 || line is null)
        {
            var signal = child.ExitCode > 128 ? $" (signal {child.ExitCode - 128}{(child.ExitCode - 128 == 9 ? ", killed: out of memory?" : string.Empty)})" : string.Empty;
            var tail = errors.Length > 400 ? errors[^400..] : errors;
            LogCrashed(_logger, pipeline, what, child.ExitCode, tail);
            return new DeploymentFailure(RejectionReason.CrashedValidation,
                $"{what}: the validation process died with exit code {child.ExitCode}{signal} (memory cap ota.validationMemoryMegabytes = {_ota.ValidationMemoryMegabytes} MB): {tail.Trim()}", false);
        }

        return Judge(what, line, periodMilliseconds);
    }

    private DeploymentFailure? Judge(string what, string line, double? periodMilliseconds)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.GetProperty("reason").GetString() is { } reason)
        {
            var parsed = Enum.GetValues<RejectionReason>().FirstOrDefault(r => ReportedStateWriter.SnakeCase(r) == reason, RejectionReason.SmokeTestFailed);
            return new DeploymentFailure(parsed, $"{what}: {root.GetProperty("message").GetString()}", false);
        }

        var slowest = root.GetProperty("maxRunMs").GetDouble();
        var median = root.GetProperty("medianRunMs").GetDouble();
        if (periodMilliseconds is { } period && median > period)
        {
            return new DeploymentFailure(RejectionReason.TooSlow,
                $"{what}: one run takes {median:0.#} ms (median of 3), longer than the pipeline's window/frame period of {period:0.#} ms: it could not keep up", false);
        }

        if (median > _ota.HealthMaxLatencyMilliseconds)
        {
            return new DeploymentFailure(RejectionReason.TooSlow,
                $"{what}: one run takes {median:0.#} ms (median of 3, slowest {slowest:0.#} ms), over ota.healthMaxLatencyMilliseconds ({_ota.HealthMaxLatencyMilliseconds} ms)", false);
        }

        return null;
    }

    /// <summary>In the child: caps its own address space at what it maps now plus <paramref name="megabytes"/>.</summary>
    internal static void LimitOwnMemory(int megabytes)
    {
        // VmSize already includes the runtime's reservations (the GC reserves its whole range up front), so the budget
        // is what ONNX Runtime and the model may add.
        var status = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmSize:", StringComparison.Ordinal));
        var kilobytes = status is null ? 0 : ulong.Parse(status.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Pipelines.Platform.Native.Libc.LimitAddressSpace((kilobytes * 1024) + ((ulong)megabytes * 1024 * 1024));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: validation of {Model} killed after {Seconds} s")]
    private static partial void LogKilled(ILogger logger, string pipeline, string model, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: validation of {Model} died (exit {ExitCode}): {Stderr}")]
    private static partial void LogCrashed(ILogger logger, string pipeline, string model, int exitCode, string stderr);
}
