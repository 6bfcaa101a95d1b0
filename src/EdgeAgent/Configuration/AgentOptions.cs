using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Logging;
using EdgeAgent.Metrics;
using EdgeAgent.Mqtt;
using EdgeAgent.Ota;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Telemetry;

namespace EdgeAgent.Configuration;

/// <summary>The whole configuration file. Each capability owns one section.</summary>
public sealed class AgentOptions : IValidatedOptions
{
    [Description("Identifies this device in MQTT topics and events. Default: the hostname.")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (it becomes an MQTT topic level)")]
    public string DeviceId { get; set; } = string.Empty;

    [Description("Where the agent keeps everything it persists (outbox, model store, state). Default: $STATE_DIRECTORY under systemd, else /var/lib/edgeagent, else ~/.local/state/edgeagent when that is not writable.")]
    public string StateDirectory { get; set; } = string.Empty;

    [Description("Where the rolling log files go. Default: $LOGS_DIRECTORY under systemd, else <stateDirectory>/logs.")]
    public string LogDirectory { get; set; } = string.Empty;

    [Description("How long a graceful stop may take (flushing pending results) before the agent exits anyway.")]
    [Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 15;

    [Description("Longest time READY waits for slow pipelines (e.g. a camera that does not come up) before it is sent anyway.")]
    [Range(0, 3600)]
    public int StartupGraceSeconds { get; set; } = 30;

    [Description("Log levels and sinks.")]
    public LoggingOptions Logging { get; set; } = new();

    [Description("The MQTT broker connection.")]
    public MqttOptions Mqtt { get; set; } = new();

    [Description("The durable store-and-forward queue of results waiting for the broker.")]
    public OutboxOptions Outbox { get; set; } = new();

    [Description("ONNX Runtime: library, memory arena, execution providers.")]
    public InferenceOptions Inference { get; set; } = new();

    [Description("The data pipelines: sources, windows or frames, model, scoring and alerts.")]
    public List<PipelineOptions> Pipelines { get; set; } = [];

    [Description("Over-the-air model updates.")]
    public OtaOptions Ota { get; set; } = new();

    [Description("Periodic health and counter reports.")]
    public TelemetryOptions Telemetry { get; set; } = new();

    [Description("The opt-in Prometheus metrics endpoint.")]
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>Fills the defaults that depend on the machine and on systemd's environment.</summary>
    public void ResolveDefaults(IReadOnlyDictionary<string, string> environment)
    {
        if (string.IsNullOrWhiteSpace(DeviceId))
        {
            DeviceId = System.Net.Dns.GetHostName().Split('.')[0];
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            StateDirectory = FirstOf(environment.GetValueOrDefault("STATE_DIRECTORY"))
                             ?? (DirectoryProbe.CanWrite("/var/lib/edgeagent") ? "/var/lib/edgeagent" : UserStateDirectory(environment));
        }

        if (string.IsNullOrWhiteSpace(LogDirectory))
        {
            LogDirectory = FirstOf(environment.GetValueOrDefault("LOGS_DIRECTORY")) ?? Path.Combine(StateDirectory, "logs");
        }

        StateDirectory = Path.GetFullPath(StateDirectory);
        LogDirectory = Path.GetFullPath(LogDirectory);
    }

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Pipelines.Count; i++)
        {
            if (!names.Add(Pipelines[i].Name))
            {
                errors.Add(new ConfigError($"pipelines[{i}].name", $"'{Pipelines[i].Name}' is used by another pipeline; names must be unique"));
            }
        }
    }

    // systemd passes a colon-separated list when the unit names several directories; the first is ours.
    private static string? FirstOf(string? list) =>
        string.IsNullOrEmpty(list) ? null : list.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static string UserStateDirectory(IReadOnlyDictionary<string, string> environment)
    {
        var xdg = environment.GetValueOrDefault("XDG_STATE_HOME");
        var home = environment.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "state") : xdg, "edgeagent");
    }
}
