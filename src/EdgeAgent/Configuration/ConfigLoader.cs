using System.Text.Json;
using EdgeAgent.Pipelines.Configuration;
using Microsoft.Extensions.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// Reads, merges, checks, binds and validates the configuration. Everything that is wrong is reported at once,
/// as a <see cref="ConfigException"/>, before any part of the agent starts.
/// </summary>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <param name="environment">The process environment; tests pass their own.</param>
    public static LoadedConfig Load(ConfigSources sources, IReadOnlyDictionary<string, string>? environment = null)
    {
        environment ??= ProcessEnvironment.Snapshot();
        var errors = new List<ConfigError>();
        var files = ResolveFiles(sources, environment, errors);
        var overrides = ParseOverrides(sources.Overrides, errors);
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var builder = new ConfigurationBuilder();
        foreach (var file in files)
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(EnvironmentOverrides(environment));
        builder.AddInMemoryCollection(overrides);
        var root = builder.Build();

        // Bad keys are left out of binding so that range and cross-field checks still run on the rest:
        // the user sees every problem in one go.
        var rejected = ConfigShapeChecker.Check(root, typeof(AgentOptions), errors);
        var bindable = rejected.Count == 0 ? root : Without(root, rejected);

        AgentOptions options;
        try
        {
            options = bindable.Get<AgentOptions>() ?? new AgentOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigException(string.Empty, ex.Message);
        }

        options.ResolveDefaults(environment);
        OptionsValidator.Validate(options, string.Empty, errors);
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return new LoadedConfig(options, root, files);
    }

    private static IConfiguration Without(IConfiguration root, IReadOnlyList<string> rejected)
    {
        bool IsRejected(string key) => rejected.Any(r =>
            key.Equals(r, StringComparison.OrdinalIgnoreCase) ||
            key.StartsWith(r + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase));

        return new ConfigurationBuilder()
            .AddInMemoryCollection(root.AsEnumerable().Where(pair => pair.Value is not null && !IsRejected(pair.Key)))
            .Build();
    }

    private static List<string> ResolveFiles(ConfigSources sources, IReadOnlyDictionary<string, string> environment, List<ConfigError> errors)
    {
        if (sources.Files.Count == 0)
        {
            var found = ConfigSources.DefaultSearchPath(environment).FirstOrDefault(File.Exists);
            if (found is not null)
            {
                CheckJson(found, errors);
                return [found];
            }

            var named = environment.GetValueOrDefault(ConfigSources.ConfigFileVariable);
            if (!string.IsNullOrEmpty(named))
            {
                errors.Add(new ConfigError(string.Empty, $"{ConfigSources.ConfigFileVariable} names '{named}', which does not exist; fix the path or unset the variable"));
            }

            return [];
        }

        var files = new List<string>();
        foreach (var file in sources.Files)
        {
            var full = Path.GetFullPath(file);
            if (!File.Exists(full))
            {
                errors.Add(new ConfigError(string.Empty, $"config file '{file}' not found; check the path given to --config"));
                continue;
            }

            CheckJson(full, errors);
            files.Add(full);
        }

        return files;
    }

    /// <summary>Parses the file once ourselves so a syntax error names the file, line and column.</summary>
    private static void CheckJson(string file, List<ConfigError> errors)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ConfigError(string.Empty, $"{file}: the top level must be a JSON object, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}"));
            }
            else
            {
                ConfigJsonChecker.Check(file, document.RootElement, errors);
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
            errors.Add(new ConfigError(string.Empty, $"{file}: invalid JSON at line {line}, column {column}: {reason}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(string.Empty, $"{file}: cannot be read: {ex.Message}"));
        }
    }

    private static Dictionary<string, string?> ParseOverrides(IReadOnlyList<string> overrides, List<ConfigError> errors)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add(new ConfigError(string.Empty, $"--set '{item}' must have the form path=value, e.g. mqtt.port=1884"));
                continue;
            }

            result[ConfigPath.ToConfigKey(item[..equals].Trim())] = item[(equals + 1)..];
        }

        return result;
    }

    private static Dictionary<string, string?> EnvironmentOverrides(IReadOnlyDictionary<string, string> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(ConfigSources.EnvironmentPrefix, StringComparison.Ordinal))
            {
                result[name[ConfigSources.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        return result;
    }
}
