using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Configuration;

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

    [Description("Shadow period before a swap: the candidate scores live windows (camera pipelines: frames) beside the active model and is promoted only within these bounds.")]
    public ShadowOptions Shadow { get; set; } = new();

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        for (var i = 0; i < TrustedKeys.Count; i++)
        {
            var key = TrustedKeys[i];
            if (!key.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) && !File.Exists(key))
            {
                errors.Add(new ConfigError($"{path}.trustedKeys[{i}]", $"'{key}' is neither a PEM public key nor an existing file"));
            }
        }
    }

    /// <summary>The trusted keys as PEM text, reading the ones given as files.</summary>
    public IReadOnlyList<string> LoadTrustedKeys() =>
        TrustedKeys.Select(k => k.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? k : File.ReadAllText(k)).ToList();
}
