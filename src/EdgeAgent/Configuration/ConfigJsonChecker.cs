using System.Reflection;
using System.Text.Json;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// Checks what the configuration binder cannot see once a file is flattened into keys: a section written as
/// <c>null</c> or <c>[]</c> where an object belongs (the binder reads both as "not set" and silently runs on
/// defaults), and an array where an object belongs or the reverse. Duplicate keys are refused by the parser itself.
/// </summary>
internal static class ConfigJsonChecker
{

    public static void Check(string file, JsonElement root, ICollection<ConfigError> errors)
    {
        CheckDuplicates(file, root, string.Empty, errors);
        CheckObject(file, root, typeof(AgentOptions), string.Empty, errors);
    }

    /// <summary>{"deviceId":"a","deviceId":"b"}: which one wins is a guess the user did not make.</summary>
    private static void CheckDuplicates(string file, JsonElement element, string path, ICollection<ConfigError> errors)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // the binder's keys ignore case too
            foreach (var member in element.EnumerateObject())
            {
                var child = ConfigPath.Child(path, member.Name);
                if (!seen.Add(member.Name))
                {
                    errors.Add(new ConfigError(child, $"{file}: the key '{member.Name}' appears more than once; keep one"));
                }

                CheckDuplicates(file, member.Value, child, errors);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CheckDuplicates(file, item, ConfigPath.Index(path, index++), errors);
            }
        }
    }

    private static void CheckObject(string file, JsonElement element, Type type, string path, ICollection<ConfigError> errors)
    {
        foreach (var member in element.EnumerateObject())
        {
            // Unknown keys are the shape checker's to report, with a suggestion.
            if (OptionsTypes.Find(type, member.Name) is not { } property)
            {
                continue;
            }

            // A section declared nullable (an optional source kind, say) may be written as null.
            if (member.Value.ValueKind == JsonValueKind.Null && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable)
            {
                continue;
            }

            CheckValue(file, member.Value, property.PropertyType, ConfigPath.Child(path, ConfigPath.CamelCase(property.Name)), errors);
        }
    }

    private static void CheckValue(string file, JsonElement value, Type type, string path, ICollection<ConfigError> errors)
    {
        if (OptionsTypes.IsLeaf(type))
        {
            return; // scalars are checked (with their type) by the shape checker
        }

        if (OptionsTypes.ListElement(type) is { } element)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new ConfigError(path, $"{file}: must be an array, got {Describe(value)}"));
                return;
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckValue(file, item, element, ConfigPath.Index(path, index++), errors);
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ConfigError(path, $"{file}: must be an object, got {Describe(value)}; remove the key to use the defaults"));
            return;
        }

        if (OptionsTypes.MapValue(type) is { } mapValue)
        {
            foreach (var item in value.EnumerateObject())
            {
                CheckValue(file, item.Value, mapValue, ConfigPath.Child(path, item.Name), errors);
            }

            return;
        }

        CheckObject(file, value, type, path, errors);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "an empty array" : "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
