using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// Generates the configuration's JSON Schema from the options classes (types, ranges, patterns, enums, defaults,
/// descriptions), so the schema editors use cannot drift from what the agent accepts.
/// </summary>
public static class SchemaGenerator
{
    public static string Generate(Type rootType)
    {
        var schema = ObjectSchema(rootType);
        schema.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.Insert(1, "title", "EdgeAgent configuration");
        ((JsonObject)schema["properties"]!).Insert(0, ConfigShapeChecker.SchemaKey, new JsonObject { ["type"] = "string" });
        return schema.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    private static JsonObject ObjectSchema(Type type)
    {
        var properties = new JsonObject();
        var defaults = OptionsTypes.CreateDefault(type);
        foreach (var property in OptionsTypes.Properties(type))
        {
            properties[ConfigPath.CamelCase(property.Name)] = PropertySchema(property, defaults);
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
    }

    private static JsonObject PropertySchema(PropertyInfo property, object? owner)
    {
        var schema = TypeSchema(property.PropertyType);
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema.Insert(0, "description", description.Description);
        }

        foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
        {
            switch (attribute)
            {
                case RangeAttribute range:
                    schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                    schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case RegularExpressionAttribute regex:
                    schema["pattern"] = regex.Pattern;
                    break;
                case MinLengthAttribute min:
                    schema["minItems"] = min.Length;
                    break;
            }
        }

        if (OptionsTypes.IsLeaf(property.PropertyType) && property.GetCustomAttribute<SecretAttribute>() is null &&
            property.GetValue(owner) is { } value && value is not "")
        {
            schema["default"] = value switch
            {
                Enum e => JsonValue.Create(ConfigPath.CamelCase(e.ToString())),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                _ => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return schema;
    }

    private static JsonObject TypeSchema(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        var target = nullable ?? type;
        JsonObject schema;
        if (target == typeof(bool))
        {
            schema = new JsonObject { ["type"] = "boolean" };
        }
        else if (target == typeof(string) || target == typeof(Uri) || target == typeof(TimeSpan))
        {
            schema = new JsonObject { ["type"] = "string" };
        }
        else if (target.IsEnum)
        {
            schema = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. Enum.GetNames(target).Select(n => (JsonNode)JsonValue.Create(ConfigPath.CamelCase(n)))]),
            };
        }
        else if (target == typeof(float) || target == typeof(double) || target == typeof(decimal))
        {
            schema = new JsonObject { ["type"] = "number" };
        }
        else if (target.IsPrimitive)
        {
            schema = new JsonObject { ["type"] = "integer" };
        }
        else if (OptionsTypes.ListElement(target) is { } element)
        {
            schema = new JsonObject { ["type"] = "array", ["items"] = TypeSchema(element) };
        }
        else if (OptionsTypes.MapValue(target) is { } value)
        {
            schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(value) };
        }
        else
        {
            schema = ObjectSchema(target);
        }

        if (nullable is not null)
        {
            schema["type"] = new JsonArray(schema["type"]!.DeepClone(), "null");
        }

        return schema;
    }
}
