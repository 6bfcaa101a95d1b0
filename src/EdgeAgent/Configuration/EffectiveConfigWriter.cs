using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>Writes bound options back out as JSON, in the file's own key names, with every secret masked.</summary>
public static class EffectiveConfigWriter
{
    public const string Mask = "********";

    public static string Write(object options)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            WriteObject(writer, options);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter writer, object value)
    {
        writer.WriteStartObject();
        foreach (var property in OptionsTypes.Properties(value.GetType()))
        {
            writer.WritePropertyName(ConfigPath.CamelCase(property.Name));
            WriteValue(writer, property.GetValue(value), property);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, PropertyInfo? property)
    {
        if (property?.GetCustomAttribute<SecretAttribute>() is not null && value is string { Length: > 0 })
        {
            writer.WriteStringValue(Mask);
            return;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case Enum e:
                writer.WriteStringValue(ConfigPath.CamelCase(e.ToString()));
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TimeSpan or Uri:
                writer.WriteStringValue(value.ToString());
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName((string)entry.Key);
                    WriteValue(writer, entry.Value, null);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item, null);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteObject(writer, value);
                break;
        }
    }
}
