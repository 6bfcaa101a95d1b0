using System.Globalization;
using EdgeAgent.Pipelines.Configuration;
using Microsoft.Extensions.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// Walks the merged configuration against the options types before binding, so that unknown keys (typos) and
/// values of the wrong type are reported with their JSON path instead of being ignored or failing one at a time.
/// </summary>
internal static class ConfigShapeChecker
{
    public const string SchemaKey = "$schema";

    /// <summary>Adds an error per problem and returns the configuration keys that must not be bound.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, Type rootType, ICollection<ConfigError> errors)
    {
        var rejected = new List<string>();
        var sink = new Sink(errors, rejected);
        foreach (var child in configuration.GetChildren())
        {
            // Editors use "$schema" to find config/edgeagent.schema.json; it is not a setting.
            if (child.Key == SchemaKey)
            {
                rejected.Add(child.Path);
                continue;
            }

            CheckMember(child, rootType, string.Empty, sink);
        }

        return rejected;
    }

    /// <summary>Where problems go: the error for the user, the key so the rest can still be bound and validated.</summary>
    private sealed record Sink(ICollection<ConfigError> Errors, List<string> Rejected)
    {
        public void Add(IConfigurationSection section, string path, string message)
        {
            Errors.Add(new ConfigError(path, message));
            Rejected.Add(section.Path);
        }
    }

    private static void CheckMember(IConfigurationSection section, Type owner, string parentPath, Sink errors)
    {
        var property = OptionsTypes.Find(owner, section.Key);
        var path = ConfigPath.Child(parentPath, property is null ? section.Key : ConfigPath.CamelCase(property.Name));
        if (property is null)
        {
            errors.Add(section, path, UnknownKeyMessage(section.Key, owner));
            return;
        }

        CheckValue(section, property.PropertyType, path, errors);
    }

    private static void CheckValue(IConfigurationSection section, Type type, string path, Sink errors)
    {
        var children = section.GetChildren().ToList();
        if (OptionsTypes.IsLeaf(type))
        {
            if (children.Count > 0)
            {
                errors.Add(section, path, $"must be {OptionsTypes.Describe(type)}, got an object or array");
                return;
            }

            CheckLeaf(section, type, path, errors);
            return;
        }

        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add(section, path, $"must be {OptionsTypes.Describe(type)}, got '{section.Value}'");
            return;
        }

        if (OptionsTypes.ListElement(type) is { } element)
        {
            foreach (var item in children)
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    errors.Add(section, path, "must be an array, got an object");
                    return;
                }

                CheckValue(item, element, ConfigPath.Index(path, index), errors);
            }

            return;
        }

        if (OptionsTypes.MapValue(type) is { } valueType)
        {
            foreach (var item in children)
            {
                CheckValue(item, valueType, ConfigPath.Child(path, item.Key), errors);
            }

            return;
        }

        foreach (var child in children)
        {
            CheckMember(child, type, path, errors);
        }
    }

    private static void CheckLeaf(IConfigurationSection section, Type type, string path, Sink errors)
    {
        var value = section.Value;
        var underlying = Nullable.GetUnderlyingType(type);
        if (string.IsNullOrEmpty(value))
        {
            // JSON null and "" bind to the default of a string or nullable; for any other type they are a mistake.
            if (underlying is null && type != typeof(string) && type != typeof(Uri))
            {
                errors.Add(section, path, $"must be {OptionsTypes.Describe(type)}, got an empty value");
            }

            return;
        }

        var target = underlying ?? type;
        if (target.IsEnum)
        {
            if (!Enum.GetNames(target).Any(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(section, path, $"must be {OptionsTypes.Describe(target)}, got '{value}'");
            }

            return;
        }

        if (!ParsesAs(target, value))
        {
            errors.Add(section, path, $"must be {OptionsTypes.Describe(target)}, got '{value}'");
        }
    }

    /// <summary>
    /// Whether the binder will accept the text for this leaf type. The same parses the configuration binding source
    /// generator emits (invariant culture, integer and float number styles), written out instead of a TypeConverter
    /// lookup, which needs reflection that trimming and Native AOT do not keep.
    /// </summary>
    internal static bool ParsesAs(Type type, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => true,
            TypeCode.Boolean => bool.TryParse(value, out _),
            TypeCode.SByte => sbyte.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.Byte => byte.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.Int16 => short.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.UInt16 => ushort.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.Int32 => int.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.UInt32 => uint.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.Int64 => long.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.UInt64 => ulong.TryParse(value, NumberStyles.Integer, invariant, out _),
            TypeCode.Single => float.TryParse(value, NumberStyles.Float, invariant, out _),
            TypeCode.Double => double.TryParse(value, NumberStyles.Float, invariant, out _),
            TypeCode.Decimal => decimal.TryParse(value, NumberStyles.Float, invariant, out _),
            TypeCode.Char => value.Length == 1,
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(value, invariant, out _),
            _ when type == typeof(Uri) => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
            _ => throw new InvalidOperationException($"{type.Name} is a leaf options type without a parse rule; add it to {nameof(ParsesAs)}"),
        };
    }

    private static string UnknownKeyMessage(string key, Type owner)
    {
        var known = OptionsTypes.Properties(owner).Select(p => ConfigPath.CamelCase(p.Name)).ToList();
        var closest = known
            .Select(k => (Key: k, Distance: EditDistance(k.ToLowerInvariant(), key.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        var hint = closest.Key is not null && closest.Distance <= Math.Max(2, key.Length / 3)
            ? $"; did you mean '{closest.Key}'?"
            : string.Empty;
        return $"unknown key '{key}'{hint} (known keys here: {string.Join(", ", known)})";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
