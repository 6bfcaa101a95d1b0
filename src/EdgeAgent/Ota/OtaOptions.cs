using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Ota;

public sealed class OtaOptions : IValidatedOptions
{
    [Description("Public keys (PEM files, or PEM text) whose ECDSA P-256 signatures are accepted on model bundles.")]
    public List<string> TrustedKeys { get; set; } = [];

    [Description("Accept bundles without a valid signature. Only for development: anyone who can reach the broker could then replace models.")]
    public bool AllowUnsigned { get; set; }

    [Description("Versions of each model kept in the store for rollback (the active and previous ones are always kept).")]
    [Range(2, 100)]
    public int KeepVersions { get; set; } = 3;

    [Description("Largest bundle accepted, in megabytes.")]
    [Range(1, 4096)]
    public int MaxArtifactMegabytes { get; set; } = 100;

    [Description("Drop folder watched for bundles (.tar or a folder with model.onnx, model.json, model.sig). Empty: none.")]
    public string Inbox { get; set; } = string.Empty;

    [Description("Groups this device belongs to; desired state is also read from edgeagent/groups/<group>/models/desired.")]
    public List<string> Groups { get; set; } = [];

    [Description("Seconds a newly swapped-in model is watched (inference errors, NaN scores, latency) before it is kept; on failure the previous model is swapped back. 0: no watch.")]
    [Range(0, 3600)]
    public int HealthWatchSeconds { get; set; } = 30;

    [Description("Largest mean inference latency, in milliseconds, a new model may show during its health watch.")]
    [Range(0.001, 60000)]
    public double HealthMaxLatencyMilliseconds { get; set; } = 100;

    [Description("Seconds to wait for the pipeline to reach its next window for a swap before giving the update up.")]
    [Range(1, 3600)]
    public int SwapTimeoutSeconds { get; set; } = 60;

    [Description("Seconds a candidate's validation (load, fit, smoke test and timed runs, in a child process) may take before the child is killed and the candidate rejected (validation_timeout).")]
    [Range(1, 3600)]
    public int ValidationTimeoutSeconds { get; set; } = 60;

    [Description("Memory, in megabytes, the validation child process may map beyond what the runtime itself needs (RLIMIT_AS); a candidate needing more is rejected instead of the agent being OOM-killed.")]
    [Range(64, 65536)]
    public int ValidationMemoryMegabytes { get; set; } = 1024;

    [Description("Shadow period before a swap: the candidate scores live windows (camera pipelines: frames) beside the active model and is promoted only within these bounds.")]
    public ShadowOptions Shadow { get; set; } = new();

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        for (var i = 0; i < TrustedKeys.Count; i++)
        {
            var key = TrustedKeys[i];
            var isPem = key.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal);
            if (!isPem && !File.Exists(key))
            {
                errors.Add(new ConfigError($"{path}.trustedKeys[{i}]", $"'{key}' is neither a PEM public key nor an existing file"));
                continue;
            }

            string pem;
            try
            {
                pem = isPem ? key : File.ReadAllText(key);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigError($"{path}.trustedKeys[{i}]", $"'{key}' cannot be read: {ex.Message}"));
                continue;
            }

            // Checked here, not when the first bundle arrives: an RSA key would otherwise pass check-config and
            // then verify nothing.
            if (BundleSignature.CheckPublicKey(pem) is { } problem)
            {
                errors.Add(new ConfigError($"{path}.trustedKeys[{i}]", $"{(isPem ? "the PEM text" : $"'{key}'")} {problem}"));
            }
        }
    }

    /// <summary>The trusted keys as PEM text, reading the ones given as files.</summary>
    public IReadOnlyList<string> LoadTrustedKeys() =>
        TrustedKeys.Select(k => k.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? k : File.ReadAllText(k)).ToList();
}
