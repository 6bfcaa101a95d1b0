using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private Dictionary<string, string> Environment() => new()
    {
        ["STATE_DIRECTORY"] = _dir.Combine("state"),
        ["HOME"] = _dir.Path,
    };

    private LoadedConfig Load(string json, IDictionary<string, string>? extraEnvironment = null, params string[] overrides)
    {
        var environment = Environment();
        foreach (var (k, v) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[k] = v;
        }

        return ConfigLoader.Load(new ConfigSources([_dir.Write("c.json", json)], overrides), environment);
    }

    private IReadOnlyList<string> Errors(string json) =>
        FluentActions.Invoking(() => Load(json)).Should().Throw<ConfigException>().Which.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Bundled_default_configuration_is_valid()
    {
        var loaded = ConfigLoader.Load(new ConfigSources([RepositoryPaths.File("config", "edgeagent.json")], []), Environment());
        loaded.Options.Mqtt.Port.Should().Be(1883);
    }

    [Fact]
    public void Later_files_then_environment_then_set_overrides_win()
    {
        var first = _dir.Write("a.json", """{ "mqtt": { "host": "a", "port": 1000 }, "telemetry": { "intervalSeconds": 5 } }""");
        var second = _dir.Write("b.json", """{ "mqtt": { "host": "b", "port": 2000 } }""");
        var environment = Environment();
        environment["EDGEAGENT__MQTT__PORT"] = "3000";
        environment["EDGEAGENT__TELEMETRY__INTERVALSECONDS"] = "7";
        var loaded = ConfigLoader.Load(new ConfigSources([first, second], ["telemetry.intervalSeconds=9"]), environment);
        loaded.Options.Mqtt.Host.Should().Be("b");
        loaded.Options.Mqtt.Port.Should().Be(3000);
        loaded.Options.Telemetry.IntervalSeconds.Should().Be(9);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_json_path()
    {
        var errors = Errors("""
            {
              "deviceId": "a/b",
              "mqtt": { "port": 70000, "hots": "x" },
              "shutdownTimeoutSeconds": "soon",
              "logging": { "level": "loud", "file": { "retainedFiles": 0 } },
              "pipelines": [ { "name": "p" }, { "name": "p" } ]
            }
            """);
        errors.Should().BeEquivalentTo(
            "mqtt.hots: unknown key 'hots'; did you mean 'host'? (known keys here: enabled, host, port, clientId, keepAliveSeconds, protocolVersion, username, passwordFile, password, baseTopic, tls, reconnect, homeAssistant)",
            "shutdownTimeoutSeconds: must be a whole number, got 'soon'",
            "logging.level: must be one of trace, debug, information, warning, error, critical, got 'loud'",
            "deviceId: must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (it becomes an MQTT topic level)",
            "mqtt.port: must be 1..65535, got 70000",
            "logging.file.retainedFiles: must be 1..100, got 0",
            "pipelines[1].name: 'p' is used by another pipeline; names must be unique");
    }

    [Fact]
    public void Unknown_top_level_key_and_object_where_a_value_belongs_are_errors()
    {
        Errors("""{ "mqttt": {}, "deviceId": { "x": 1 } }""").Should().BeEquivalentTo(
            "mqttt: unknown key 'mqttt'; did you mean 'mqtt'? (known keys here: deviceId, stateDirectory, logDirectory, shutdownTimeoutSeconds, startupGraceSeconds, logging, mqtt, outbox, inference, pipelines, ota, telemetry, metrics)",
            "deviceId: must be a string, got an object or array");
    }

    [Fact]
    public void Invalid_json_names_file_line_and_column()
    {
        var errors = Errors("{\n  \"mqtt\": {\n    \"port\": 1\n    \"host\": \"x\"\n  }\n}");
        errors.Should().ContainSingle().Which.Should().Contain("c.json: invalid JSON at line 4, column 5");
    }

    [Fact]
    public void Top_level_must_be_an_object()
    {
        Errors("[1, 2]").Should().ContainSingle().Which.Should().Contain("the top level must be a JSON object, got array");
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        var act = () => ConfigLoader.Load(new ConfigSources([_dir.Combine("nope.json")], []), Environment());
        act.Should().Throw<ConfigException>().Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Contain("nope.json' not found");
    }

    [Fact]
    public void EDGEAGENT_CONFIG_is_searched_first_and_a_wrong_one_is_reported()
    {
        var environment = Environment();
        environment["EDGEAGENT_CONFIG"] = _dir.Write("env.json", """{ "mqtt": { "port": 1999 } }""");
        ConfigLoader.Load(ConfigSources.None, environment).Options.Mqtt.Port.Should().Be(1999);

        environment["EDGEAGENT_CONFIG"] = _dir.Combine("missing.json");
        if (!File.Exists(ConfigSources.SystemConfigFile) && !File.Exists(Path.Combine(AppContext.BaseDirectory, "config", "edgeagent.json")))
        {
            FluentActions.Invoking(() => ConfigLoader.Load(ConfigSources.None, environment))
                .Should().Throw<ConfigException>().WithMessage("*EDGEAGENT_CONFIG names*missing.json*");
        }
    }

    [Fact]
    public void Bad_set_override_is_an_error()
    {
        FluentActions.Invoking(() => Load("{}", null, "mqtt.port"))
            .Should().Throw<ConfigException>().WithMessage("*--set 'mqtt.port' must have the form path=value*");
    }

    [Fact]
    public void Set_override_reaches_array_items()
    {
        var loaded = Load("""{ "pipelines": [ { "name": "a" } ] }""", null, "pipelines[0].enabled=false");
        loaded.Options.Pipelines.Should().ContainSingle().Which.Enabled.Should().BeFalse();
    }

    [Fact]
    public void Systemd_directories_and_hostname_fill_the_defaults()
    {
        var loaded = Load("{}", new Dictionary<string, string> { ["LOGS_DIRECTORY"] = _dir.Combine("logs") + ":/other" });
        loaded.Options.StateDirectory.Should().Be(_dir.Combine("state"));
        loaded.Options.LogDirectory.Should().Be(_dir.Combine("logs"));
        loaded.Options.DeviceId.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Schema_key_is_accepted_for_editors()
    {
        Load("""{ "$schema": "./edgeagent.schema.json" }""").Options.Mqtt.Host.Should().Be("localhost");
    }

    public void Dispose() => _dir.Dispose();
}
