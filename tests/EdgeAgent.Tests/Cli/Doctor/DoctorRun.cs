using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;

namespace EdgeAgent.Tests.Cli.Doctor;

/// <summary>One run of the real <c>edgeagent doctor --json</c> on the bundled configuration plus overrides, its checks by name.</summary>
internal sealed record DoctorRun(int ExitCode, IReadOnlyDictionary<string, (string Verdict, string Reason, string Fix)> Checks, string Output)
{
    public static async Task<DoctorRun> RunAsync(params string[] settings)
    {
        string[] arguments = ["doctor", "--json", "--config", RepositoryPaths.File("config", "edgeagent.json"), .. settings.SelectMany(s => new[] { "--set", s })];
        var (code, stdout, stderr) = await AgentProcess.RunAsync(arguments, timeout: TimeSpan.FromSeconds(90));
        using var document = JsonDocument.Parse(stdout.Length > 0 ? stdout : throw new InvalidOperationException($"doctor printed nothing (exit {code}): {stderr}"));
        var checks = document.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("verdict").GetString()!, c.GetProperty("reason").GetString()!, c.GetProperty("fix").GetString()!));
        return new DoctorRun(code, checks, stdout + stderr);
    }

    /// <summary>What the exit code must be for these verdicts: 0 all ok, 1 warnings, 2 errors.</summary>
    public int ExpectedExitCode => Checks.Values.Any(c => c.Verdict == "error") ? 2 : Checks.Values.Any(c => c.Verdict == "warning") ? 1 : 0;
}
